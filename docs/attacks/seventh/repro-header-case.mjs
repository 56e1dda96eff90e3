// Repro: endpoint `headers` with mixed-case names are merged with the caller's same header (comma-joined) instead of replacing it.
// Usage: node repro-header-case.mjs <project dir with the tarballs installed>
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const dir = process.argv[2] ?? '/tmp/attack7b/ts';
const req = createRequire(dir + '/package.json');
const imp = (m) => import(req.resolve(m));
const { default: OpenAI } = await import(createRequire('/tmp/attack7b/ts/package.json').resolve('openai'));
const { default: Anthropic } = await import(createRequire('/tmp/attack7b/ts/package.json').resolve('@anthropic-ai/sdk'));
const { createFetch } = await imp('@detour/node');
const { startChaosUpstream } = await imp('@detour/testkit');
const up = await startChaosUpstream({ name: 'u' });
const last = () => up.stats().requests.at(-1).headers;
process.env.OPENAI_ORG_ID = 'org-A'; // the openai SDK sends it as openai-organization
for (const name of ['openai-organization', 'OpenAI-Organization']) {
  const fetch = createFetch({ endpoints: [{ name: 'e', baseUrl: up.baseUrl, apiKey: 'sk-b', headers: { [name]: 'org-B' } }] });
  await new OpenAI({ apiKey: 'unused', fetch, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] });
  console.log(`createFetch, endpoint header "${name}: org-B" -> upstream openai-organization: ${JSON.stringify(last()['openai-organization'])}`);
  await fetch.router.close();
}
for (const name of ['anthropic-version', 'Anthropic-Version']) {
  const fetch = createFetch({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: 'sk-a', provider: 'anthropic', headers: { [name]: '2023-06-01' } }] });
  await new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 }).messages.create({ model: 'claude-x', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] });
  console.log(`createFetch, endpoint header "${name}: 2023-06-01" -> upstream anthropic-version: ${JSON.stringify(last()['anthropic-version'])}`);
  await fetch.router.close();
}
writeFileSync('/tmp/attack7b/hc.json', JSON.stringify({ endpoints: [{ name: 'a', baseUrl: up.baseUrl, apiKey: 'sk-a', provider: 'anthropic', headers: { 'Anthropic-Version': '2023-06-01' } }], gatewayKeys: ['gk-a'] }));
const gw = spawn(dir + '/node_modules/.bin/detour-gateway', ['--config', '/tmp/attack7b/hc.json', '--port', '0']);
let out = ''; const url = await new Promise(r => gw.stdout.on('data', d => { out += d; const m = out.match(/listening on (\S+)/); if (m) r(m[1]); }));
await new Anthropic({ baseURL: url, apiKey: 'gk-a', maxRetries: 0 }).messages.create({ model: 'claude-x', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] });
console.log(`gateway, endpoint header "Anthropic-Version: 2023-06-01" -> upstream anthropic-version: ${JSON.stringify(last()['anthropic-version'])}`);
gw.kill('SIGTERM'); await up.close();
