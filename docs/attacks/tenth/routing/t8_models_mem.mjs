// 200k distinct model names through a core router (in-process transport, real engine): heap growth.
const { R } = await import('./lib.mjs');
const core = await import(R + '/packages/core/dist/index.js');
const enc = new TextEncoder();
const okBody = enc.encode(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 } }));
const errBody = enc.encode(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }));
let n = 0;
const transport = async (req) => {
  n++;
  const is429 = req.endpoint === 'A' && n % 2 === 0;
  const headers = { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9000', 'x-ratelimit-reset-requests': '6s', 'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '900000', 'x-ratelimit-reset-tokens': '6s', ...(is429 ? { 'retry-after': '30' } : {}) };
  const b = is429 ? errBody : okBody;
  return { status: is429 ? 429 : 200, headers, body: (async function* () { yield b; })(), cancel() {} };
};
const router = core.createRouter({ endpoints: [{ name: 'A', baseUrl: 'http://a.invalid/v1', limits: { rpm: 100000000 } }, { name: 'B', baseUrl: 'http://b.invalid/v1', priority: 1 }] }, { transport });
const N = Number(process.env.N ?? 200000);
const mem = () => { global.gc?.(); return (process.memoryUsage().heapUsed / 1048576).toFixed(1); };
console.log('start heap MB', mem());
const t0 = Date.now();
let next = 0, fail = 0;
const worker = async () => { while (next < N) { const i = next++; try { await router.send({ path: '/chat/completions', body: JSON.stringify({ model: 'model-' + i + '-' + 'x'.repeat(40), messages: [{ role: 'user', content: 'hi' }] }) }); } catch (e) { fail++; } if (i % 50000 === 0) console.log(i, 'heap MB', mem(), 'ms', Date.now() - t0); } };
await Promise.all(Array.from({ length: 32 }, worker));
console.log('done', N, 'fails', fail, 'heap MB', mem(), 'ms', Date.now() - t0);
const h = await router.health();
console.log(h.map((e) => `${e.name} modelCooldowns=${Object.keys(e.modelCooldowns).length}`).join(' '), 'upstream calls', n);
process.exit(0);
