// Two gateways sharing a Redis store. Gateway A sees the primary fail (breaker opens; a 429 cools a model; a 503
// rests it). Does gateway B's /healthz and its gauges say what B's routing does at that moment?
import { spawn } from 'node:child_process';
import { chaos, gateway, chat, scrape, pick, show, cleanup, onCleanup, hardStop, sleep, getJson } from './lib.mjs';
hardStop(90000);
const port = 20000 + Math.floor(Math.random() * 20000);
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
onCleanup(() => redis.kill('SIGTERM'));
await new Promise((res, rej) => { const t = setTimeout(() => rej(new Error('redis')), 5000); redis.stdout.on('data', (d) => { if (String(d).includes('Ready to accept')) { clearTimeout(t); res(); } }); });
const p = await chaos('primary'); const b = await chaos('backup');
const cfg = { endpoints: [
  { name: 'primary', baseUrl: p.baseUrl, apiKey: 'sk-primary-aaaaaaaaaaaa', priority: 0 },
  { name: 'backup', baseUrl: b.baseUrl, apiKey: 'sk-backup-bbbbbbbbbbbb', priority: 1 },
], store: { redis: `redis://127.0.0.1:${port}` }, router: { maxAttempts: 1, breaker: { openMs: 3000 } } };
const A = await gateway(cfg); const B = await gateway(cfg);
await sleep(500);
const lookB = async (label) => {
  const h = await getJson(B, '/healthz'); const m = await scrape(B);
  const e = h.body.endpoints.find((x) => x.name === 'primary');
  const before = p.stats().total;
  const r = await chat(B);
  show(label, { B_healthz: { breaker: e.breaker, avail: e.available, cd: +e.cooldownSeconds.toFixed(2), mcd: e.modelCooldownSeconds }, B_gauges: { breaker: m.get('detour_breaker_state{endpoint="primary"}'), avail: m.get('detour_endpoint_available{endpoint="primary"}'), mcd: pick(m, 'detour_model_cooldown_seconds') }, B_request: { ep: r.headers['x-detour-endpoint'], primarySaw: p.stats().total - before } });
};
console.log('=== breaker: 5 x 500 through A');
p.setScript([{ fault: { type: 'status', status: 500 } }]);
for (let i = 0; i < 5; i++) await chat(A);
await sleep(300);
await lookB('B after A opened');
await sleep(3200);
p.setScript([]);
await lookB('B after openMs');
await lookB('B next');
console.log('=== 429 Retry-After 5 s through A');
p.setScript([{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 5000 } }]);
await chat(A); await sleep(300);
await lookB('B after A 429');
console.log('=== 503 once through A (a local rest)');
await sleep(5000);
p.setScript([{ when: { nth: [1] }, fault: { type: 'status', status: 503 } }]);
await chat(A); await sleep(300);
const ha = await getJson(A, '/healthz');
show('A healthz primary', ha.body.endpoints.filter((e) => e.name === 'primary').map((e) => ({ avail: e.available, cd: e.cooldownSeconds })));
await lookB('B after A 503');
await cleanup();
