// curl sends `Expect: 100-continue` with bodies over 1 MB: does a 2 MB chat request get through the gateway?
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { upstream, gateway, json, UPKEY, GK, show } from './lib.mjs';
const up = await upstream((req, buf, res) => json(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'gpt-4.1', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }]);
writeFileSync('/tmp/attack14c/attack/.big.json', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] }));
const out = await new Promise((resolve) => {
  import('node:child_process').then(({ execFile }) => execFile('curl', ['-sS', '-v', '-o', '/dev/null', '-w', '%{http_code} %{time_total}s', `${gw.url}/v1/chat/completions`, '-H', `authorization: Bearer ${GK}`, '-H', 'content-type: application/json', '--data-binary', '@/tmp/attack14c/attack/.big.json'], (e, stdout, stderr) => resolve(`${stdout} | expect sent: ${/Expect: 100-continue/.test(stderr)} | got 100: ${/HTTP\/1.1 100/.test(stderr)}`)));
});
show('curl 2 MB via gateway', out);
show('upstream body bytes', up.seen.at(-1)?.raw.length);
await gw.close(0); await up.close();
