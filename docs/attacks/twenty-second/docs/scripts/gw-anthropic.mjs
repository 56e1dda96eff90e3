// apps/worker/README.md 184-206: Anthropic SDK through the gateway with apiKey (x-api-key) and authToken (Bearer); beta surface (?beta=true)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { startChaosUpstream } from '@detour/testkit';
const a = await startChaosUpstream({ name: 'ant-a' }); const b = await startChaosUpstream({ name: 'ant-b' });
a.setScript([{ fault: { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 10000 } }]);
fs.writeFileSync('/tmp/gwant.json', JSON.stringify({ endpoints: [
  { name: 'claude-a', provider: 'anthropic', baseUrl: a.url + '/v1', apiKey: 'sk-ant-a-123456789', priority: 0 },
  { name: 'claude-b', provider: 'anthropic', baseUrl: b.url + '/v1', apiKey: 'sk-ant-b-123456789', priority: 1 }], gatewayKeys: ['gk-ant-1'] }));
const gw = spawn('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', '--config', '/tmp/gwant.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const t = setTimeout(() => gw.kill('SIGKILL'), 30000); let out = ''; gw.stdout.on('data', (d) => { out += d; });
while (!/listening on (http:\/\/\S+)/.test(out)) await new Promise((r) => setTimeout(r, 50));
const base = out.match(/listening on (http:\/\/\S+)/)[1];
process.env.DETOUR_GATEWAY_KEY = 'gk-ant-1';
const claude = new Anthropic({ baseURL: base, apiKey: process.env.DETOUR_GATEWAY_KEY, maxRetries: 0 });
const message = await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
console.log('apiKey:', message.content[0].text, '| upstream b x-api-key', b.stats().requests.at(-1).headers['x-api-key']);
const tok = new Anthropic({ baseURL: base, authToken: 'gk-ant-1', apiKey: null, maxRetries: 0 });
const m2 = await tok.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
console.log('authToken:', m2.content[0].text);
const m3 = await claude.beta.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 64, betas: ['prompt-caching-2024-07-31'], messages: [{ role: 'user', content: 'Hi' }] }).catch((e) => ({ err: e.status + ' ' + e.message }));
const last = b.stats().requests.at(-1);
console.log('beta:', m3.err ?? m3.content[0].text, '| upstream path', last.path, '| anthropic-beta', last.headers['anthropic-beta']);
const models = await claude.models.list().catch((e) => e.status);
console.log('models.list:', JSON.stringify(models.data ?? models));
const bad = await new Anthropic({ baseURL: base, apiKey: 'wrong-key', maxRetries: 0 }).messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
console.log('wrong key ->', bad.constructor.name, bad.status);
gw.kill('SIGTERM'); await new Promise((res) => gw.on('exit', res)); clearTimeout(t); await a.close(); await b.close();
