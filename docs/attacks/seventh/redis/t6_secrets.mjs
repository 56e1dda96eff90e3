// What reaches Redis: MONITOR every command while upstreams answer errors that echo the key, the prompt and header values.
import { startRedis, redisCli, startUpstream, startGateway, gwConfig, chat, sleep, watchdog, closeServer, UPKEY, GK } from './lib.mjs';
import { spawn } from 'node:child_process';
watchdog(60000);
const redis = await startRedis();
const mon = spawn('redis-cli', ['-p', String(redis.port), 'MONITOR']); let monOut = ''; mon.stdout.on('data', (d) => (monOut += d));
const err = (res, status, message, code, headers = {}) => { res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_SECRETHDRVALUE', ...headers }); res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code } })); return true; };
const up = await startUpstream({ name: 'up', behaviour: (req, json, res) => {
  const auth = req.headers.authorization;
  switch (json.model) {
    case 'm401': return err(res, 401, `Incorrect API key provided: ${auth?.slice(7)}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_api_key');
    case 'm429': return err(res, 429, `Rate limit reached for org-SECRETORG on prompt "${json.messages?.[0]?.content}" key ${auth}`, 'rate_limit_exceeded', { 'retry-after': '3' });
    case 'm403': return err(res, 403, `Your request "${json.messages?.[0]?.content}" was flagged; key=${auth}`, 'content_policy');
    case 'm503': return err(res, 503, `overloaded, prompt=${json.messages?.[0]?.content} ${encodeURIComponent(auth)}`, 'overloaded');
    case 'mquota': return err(res, 429, `You exceeded your current quota for key ${Buffer.from(auth).toString('base64')} prompt ${json.messages?.[0]?.content}`, 'insufficient_quota');
  }
} });
const up2 = await startUpstream({ name: 'up2' });
const cfg = gwConfig([{ name: 'up', baseUrl: up.url, headers: { 'OpenAI-Organization': 'org-SECRETORGHEADER' } }, { name: 'up2', baseUrl: up2.url, priority: 1, apiKey: { env: 'K2' } }], { store: { redis: redis.url } });
const g = await startGateway({ config: cfg, tag: 'sec', env: { K2: 'sk-SECOND-key-zyxwvut98765' } });
for (const m of ['gpt-4o', 'm429', 'm503', 'm403', 'mquota', 'm401']) { const r = await chat(g.url, m, { headers: { 'x-custom-secret': 'SECRETCALLERHEADER' } }); console.log(m, r.status, r.text.slice(0, 100)); }
await sleep(1500);
mon.kill();
const lines = monOut.split('\n');
console.log('MONITOR lines:', lines.length);
for (const needle of [UPKEY, UPKEY.slice(3, 15), 'sk-SECOND', GK, 'SECRET-PROMPT', 'hello', 'SECRETHDRVALUE', 'SECRETORG', 'SECRETCALLERHEADER', Buffer.from('Bearer ' + UPKEY).toString('base64').slice(0, 20), 'Bearer']) {
  const hits = lines.filter((l) => l.includes(needle));
  console.log(`needle ${JSON.stringify(needle)}: ${hits.length} hits`, hits[0] ? hits[0].slice(0, 400) : '');
}
console.log('reasons stored:', (await redisCli(redis.port, ['HGETALL', '{detour}:endpoint:up'])).replace(/\n/g, ' | '));
console.log('quota ledger sample:', (await redisCli(redis.port, ['HGETALL', '{detour}:quota'])).replace(/\n/g, ' | ').slice(0, 800));
g.stop(); await redis.stop(); closeServer(up); closeServer(up2);
process.exit(0);
