// Two routers share one store (as a fleet shares Redis): does member B learn member A's spend?
// A's per-sync report holds at most admission.maxModels (1,024) pairs; a pair new to a full report is dropped
// (quota-tracker.ts noteSpend). JUNK=1 sends 1,100 invented model names first.
import http from 'node:http';
import { createRouter, createMemoryStore } from '../packages/node/dist/index.js';
const JUNK = Number(process.env.JUNK ?? 1100), REAL = 300, RPM = 5000;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'c', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); }); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const store = createMemoryStore();
const opts = () => ({ endpoints: [{ name: 'a', baseUrl: `http://127.0.0.1:${server.address().port}/v1`, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaa', limits: { rpm: RPM } }], admission: { fleetSyncMs: 60_000 }, store });
const A = createRouter(opts()), B = createRouter(opts());
const send = (router, model) => router.send({ path: '/chat/completions', body: JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] }) }).then((r) => r.arrayBuffer?.() ?? r.body);
await send(A, 'warm');                       // A's first request syncs at once; the rest wait for the next sync
for (let i = 0; i < JUNK; i++) await send(A, `junk-${i}`);
for (let i = 0; i < REAL; i++) await send(A, 'gpt-4.1');
await A.flush();                            // A reports now
await send(B, 'gpt-4.1');                    // B's first request exchanges with the store and adopts the fleet's spend
const [hb] = await B.health(), [ha] = await A.health();
const truth = RPM - (1 + JUNK + REAL + 1);
console.log(`JUNK=${JUNK}: A sent ${1 + JUNK + REAL} requests (${REAL} of gpt-4.1), B sent 1. rpm ${RPM}: true remaining ≈ ${truth}; A believes ${ha.quota.requests}; B believes ${hb.quota.requests} (off by ${hb.quota.requests - truth})`);
await A.close(); await B.close(); server.close(); setTimeout(() => process.exit(0), 50);
