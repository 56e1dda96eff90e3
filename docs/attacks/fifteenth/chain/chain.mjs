// Detour gateway in front of Detour gateway: what the outer layer does with the inner layer's answers.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const root = '/work/main';
const startLine = (args, env = {}) => new Promise((resolve, reject) => {
  const child = spawn('node', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const rl = createInterface({ input: child.stdout });
  const t = setTimeout(() => reject(new Error('no url from ' + args.join(' '))), 8000);
  rl.on('line', (line) => { const m = line.match(/http:\/\/127\.0\.0\.1:\d+/); if (m) { clearTimeout(t); resolve({ child, url: m[0] }); } });
  child.stderr.on('data', (d) => process.stderr.write('[' + args[args.length - 1] + '] ' + d));
});
const { startChaosUpstream } = await import(`${root}/packages/testkit/dist/index.js`);
const chaos = async (name, script) => { const u = await startChaosUpstream({ name: 'same', script, seed: 7 }); return { url: u.url, u, child: { kill: () => u.close() } }; };
const gateway = async (name, config) => {
  const file = `/tmp/chain/${name}-config.json`; writeFileSync(file, JSON.stringify(config));
  return startLine([`${root}/apps/worker/dist/cli.js`, '--config', file, '--port', '0']);
};
const scenario = process.argv[2];
const scripts = {
  outage: [{ when: {}, fault: { type: 'status', status: 503 } }],
  ratelimit: [{ when: {}, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 30000 } }],
  cut: [{ when: { stream: true }, fault: { type: 'cut-stream', afterTokens: 3, mode: 'reset' } }],
  cutclose: [{ when: { stream: true }, fault: { type: 'cut-stream', afterTokens: 3, mode: 'close' } }],
  quota: [{ when: {}, fault: { type: 'insufficient-quota' } }],
};
const a = await chaos('a', scripts[scenario]);
const b = await chaos('b', []);
const inner = await gateway('inner', { endpoints: [{ name: 'a', baseUrl: `${a.url}/v1`, apiKey: 'sk-inner-a-secret-000000000000' }], gatewayKeys: ['gw-inner-key-1234567890'] });
const outer = await gateway('outer', { endpoints: [
  { name: 'inner', baseUrl: `${inner.url}/v1`, apiKey: 'gw-inner-key-1234567890', priority: 0 },
  { name: 'b', baseUrl: `${b.url}/v1`, apiKey: 'sk-b-secret-000000000000000', priority: 1 }], gatewayKeys: ['gw-outer-key-1234567890'] });
const stream = scenario.startsWith('cut');
const results = {};
for (let i = 0; i < 20; i++) {
  const r = await fetch(`${outer.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gw-outer-key-1234567890', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hi' }] }) });
  const text = await r.text().catch((e) => 'BODY ERROR ' + e.message);
  const key = `${r.status} ${stream ? (text.includes('[DONE]') ? 'done' : 'nodone') : ''} ${text.includes('error') ? 'has-error' : ''}`;
  results[key] = (results[key] ?? 0) + 1;
  if (i === 0) console.log('first:', r.status, [...r.headers].filter(([k]) => k.startsWith('x-') || k === 'retry-after'), text.slice(0, 300));
}
console.log(scenario, results);
console.log('a', JSON.stringify(a.u.stats().byOutcome), 'b', JSON.stringify(b.u.stats().byOutcome));
for (const p of [a, b, inner, outer]) p.child.kill();
