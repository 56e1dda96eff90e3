// apps/worker/README.md 215-217 (Responses sub-routes), 330 (streamUsage inject default), 251-253 (no cost header on streams);
// docs/dashboard.md 155 (costs CLI against a gateway without admin key: 404 -> exit 1)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startChaosUpstream } from '@detour/testkit';
const up = await startChaosUpstream({ name: 'up' });
fs.writeFileSync('/tmp/gwstream.json', JSON.stringify({ endpoints: [{ name: 'up', baseUrl: up.baseUrl, apiKey: 'sk-up-1234567890ab' }], gatewayKeys: ['gk-s-1'] }));
const gw = spawn('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', '--config', '/tmp/gwstream.json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const t = setTimeout(() => gw.kill('SIGKILL'), 30000); let out = ''; gw.stdout.on('data', (d) => { out += d; });
while (!/listening on (http:\/\/\S+)/.test(out)) await new Promise((r) => setTimeout(r, 50));
const base = out.match(/listening on (http:\/\/\S+)/)[1];
const H = { authorization: 'Bearer gk-s-1', 'content-type': 'application/json' };
const r = await fetch(base + '/v1/chat/completions', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'x' }] }) });
const text = await r.text();
console.log('stream: x-detour-cost-usd', r.headers.get('x-detour-cost-usd'), '| upstream body stream_options', JSON.stringify(up.stats().requests.at(-1).body.stream_options), '| caller saw usage chunk:', /"choices":\[\]/.test(text));
const m = await (await fetch(base + '/metrics')).text(); console.log(m.split('\n').filter((l) => l.startsWith('detour_cost_usd_total')).join('\n'));
const created = await (await fetch(base + '/v1/responses', { method: 'POST', headers: H, body: JSON.stringify({ model: 'gpt-4.1', input: 'hi' }) })).json();
for (const [method, path, body] of [['GET', `/v1/responses/${created.id}`], ['GET', `/v1/responses/${created.id}/input_items`], ['POST', `/v1/responses/${created.id}/cancel`, '{}'], ['POST', '/v1/responses/input_tokens', JSON.stringify({ model: 'gpt-4.1', input: 'x' })], ['POST', '/v1/responses/compact', JSON.stringify({ model: 'gpt-4.1', input: 'x' })], ['DELETE', `/v1/responses/${created.id}`]]) {
  const x = await fetch(base + path, { method, headers: H, body }); const tx = await x.text();
  console.log(method.padEnd(6), path.replace(created.id, '{id}').padEnd(32), x.status, x.headers.get('x-detour-endpoint') ?? '', x.headers.get('x-detour-error') ?? '', tx.slice(0, 90).replace(/\s+/g, ' '));
}
let cli; try { cli = execFileSync('node', ['node_modules/@detour/gateway/bin/detour-gateway.js', 'costs', '--url', base, '--admin-key', 'whatever-1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10000 }); } catch (e) { cli = `exit ${e.status}: ${e.stdout}${e.stderr}`; }
console.log('costs CLI, gateway without admin key:', cli.trim());
gw.kill('SIGTERM'); await new Promise((res) => gw.on('exit', res)); clearTimeout(t); await up.close();
