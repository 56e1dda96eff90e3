// 01: one attempt span per upstream request? Scenarios over createFetch + openai SDK, spans vs upstream hits.
import { api, detour, OpenAI, setupOtel, upstream, ok, status, stream, summarize, print, sleep, withTimeout } from './lib.mjs';
const { exporter, provider } = setupOtel();
const ctxLen = { error: { message: "This model's maximum context length is 10 tokens", type: 'invalid_request_error', code: 'context_length_exceeded' } };

const run = async (label, ups, config, call) => {
  exporter.reset();
  const f = detour.createFetch({ endpoints: ups.map((u, i) => ({ name: u.name, baseUrl: u.baseUrl, apiKey: `sk-${u.name}-SECRETKEY123456789`, priority: u.priority ?? i, ...(u.extra ?? {}) })), ...config });
  let ended; const endP = new Promise((r) => f.router.subscribe((e) => e.type === 'request-end' && r((ended = e))));
  const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
  let result;
  const t0 = Date.now();
  try { result = await withTimeout(call(client), 15000, label); } catch (e) { result = `ERR ${e.status ?? ''} ${e.message?.slice(0, 120)}`; }
  const clientMs = Date.now() - t0;
  await withTimeout(endP, 15000, 'request-end').catch((e) => console.log(label, e.message));
  await sleep(50);
  await provider.forceFlush();
  const spans = summarize(exporter.getFinishedSpans());
  const attempts = spans.filter((s) => s.kind === 'CLIENT');
  const hits = ups.map((u) => `${u.name}:${u.hits.length}[${u.hits.map((h) => h.model).join(',')}]`).join(' ');
  const totalHits = ups.reduce((a, u) => a + u.hits.length, 0);
  console.log(`\n===== ${label}: upstream hits ${hits} | attempt spans ${attempts.length} | request spans ${spans.length - attempts.length} | client ${typeof result === 'string' ? result : 'ok'} (${clientMs}ms)`);
  console.log(`request-end: ${JSON.stringify(ended && { ok: ended.ok, code: ended.code, attempts: ended.attempts, endpoint: ended.endpoint })}`);
  if (attempts.length !== totalHits && !label.startsWith('c-')) console.log(`!!! MISMATCH attempt spans ${attempts.length} vs upstream requests ${totalHits}`);
  for (const s of spans) console.log(JSON.stringify({ name: s.name, kind: s.kind, status: s.status, durMs: s.durMs, attrs: s.attrs, events: s.events }));
  await withTimeout(f.router.close(), 3000, 'close').catch((e) => console.log(e.message));
  for (const u of ups) await u.close();
  return result;
};
const msg = [{ role: 'user', content: 'hello secret prompt' }];

// a) 429 + Retry-After then backup
await run('a-429-failover', [await upstream('A', (q, r) => status(r, 429, { error: { message: 'Rate limit', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '20' })), await upstream('B', (q, r, n, b) => ok(r, b.model))], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// b) 503 then backup
await run('b-503-failover', [await upstream('A', (q, r) => status(r, 503)), await upstream('B', (q, r, n, b) => ok(r, b.model))], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// c) connection refused
{ const dead = await upstream('A', () => {}); await dead.close();
  await run('c-refused-failover', [dead, await upstream('B', (q, r, n, b) => ok(r, b.model))], {}, (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg })); }
// d) timeout (first byte) then backup
await run('d-timeout-failover', [await upstream('A', () => {}), await upstream('B', (q, r, n, b) => ok(r, b.model))], { attemptTimeoutMs: 300 },
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// e) same-endpoint retry (single endpoint, 503 once) 
await run('e-retry-same', [await upstream('A', (q, r, n, b) => (n === 1 ? status(r, 503) : ok(r, b.model)))], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// f) model fallback on context length
await run('f-fallback', [await upstream('A', (q, r, n, b) => (b.model === 'small' ? status(r, 400, ctxLen) : ok(r, b.model)))], { fallbacks: { small: { contextLength: 'big' } } },
  (c) => c.chat.completions.create({ model: 'small', messages: msg }));
// g) all fail -> attempts_exhausted
await run('g-exhausted', [await upstream('A', (q, r) => status(r, 500)), await upstream('B', (q, r) => status(r, 502))], { maxAttempts: 3 },
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// h) mapped model failover (attempt name = mapped model)
await run('h-mapped', [await upstream('A', (q, r) => status(r, 503)), { ...(await upstream('B', (q, r, n, b) => ok(r, b.model, { prompt: 100, completion: 50, cached: 40 }))), extra: { models: { 'gpt-4.1': 'llama-3.3' }, provider: 'groq' } }], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// i) model no endpoint serves
await run('i-no-endpoint-model', [{ ...(await upstream('A', (q, r, n, b) => ok(r, b.model))), extra: { models: ['only-this'] } }], {},
  (c) => c.chat.completions.create({ model: 'other-model', messages: msg }));
// j) 400 invalid request (not retried)
await run('j-400', [await upstream('A', (q, r) => status(r, 400, { error: { message: 'bad param sk-live-LEAKEDKEY0123456789abcdef', type: 'invalid_request_error' } })), await upstream('B', (q, r, n, b) => ok(r, b.model))], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
// k) 401 with key echo in body, then backup
await run('k-401-key-echo', [await upstream('A', (q, r) => status(r, 401, { error: { message: 'Incorrect API key provided: sk-A-SECRETKEY123456789. other sk-proj-abcdefghijklmnopqrstuvwxyz0123', type: 'invalid_request_error', code: 'invalid_api_key' } })), await upstream('B', (q, r, n, b) => ok(r, b.model))], {},
  (c) => c.chat.completions.create({ model: 'gpt-4.1', messages: msg }));
await provider.shutdown();
