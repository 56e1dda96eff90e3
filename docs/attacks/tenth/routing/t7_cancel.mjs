import { upstream, node, sleep, send200, sendStatus, R } from './lib.mjs';
const { default: OpenAI } = await import(R + '/packages/node/node_modules/openai/index.mjs');
const scen = {
  // A hangs; abort at 500
  hangA: { A: async (q, s) => {}, B: async (q, s) => send200(s, 10), abortAt: 500 },
  // only endpoint-level retry: A 429 retry-after 3 (server delay slept), B 429 retry-after 3: abort during the wait
  backoffWait: { A: async (q, s) => sendStatus(s, 429, { 'retry-after': '3' }), B: async (q, s) => sendStatus(s, 429, { 'retry-after': '3' }), abortAt: 500 },
  // A 500 after 200ms, B hangs; abort at 400 (during failover attempt)
  failoverHang: { A: async (q, s) => sendStatus(s, 500, {}, 200), B: async (q, s) => {}, abortAt: 400 },
  // both 500 quickly -> backoff waits between rounds; abort at 300
  backoff500: { A: async (q, s) => sendStatus(s, 500), B: async (q, s) => sendStatus(s, 500), abortAt: 300, opts: { backoff: { baseMs: 1000, jitter: 'none' } } },
  // stream: A sends events forever, abort mid stream
  streamMid: { A: async (q, s) => { s.writeHead(200, { 'content-type': 'text/event-stream' }); for (let i = 0; i < 100 && !s.destroyed; i++) { s.write(`data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n`); await sleep(50); } s.end('data: [DONE]\n\n'); }, B: async (q, s) => send200(s), abortAt: 600, stream: true },
};
for (const [name, sc] of Object.entries(scen)) {
  const A = await upstream('A', sc.A), B = await upstream('B', sc.B);
  const fetch = node.createFetch({ endpoints: [{ name: 'A', baseUrl: A.url }, { name: 'B', baseUrl: B.url, priority: 1 }], ...(sc.opts ?? {}) });
  const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0, baseURL: 'http://detour.invalid/v1' });
  const ac = new AbortController(); setTimeout(() => ac.abort(), sc.abortAt);
  const t0 = Date.now(); let out = '';
  try {
    const r = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: !!sc.stream }, { signal: ac.signal });
    if (sc.stream) { let n = 0; for await (const _ of r) n++; out = 'stream chunks ' + n; } else out = 'ok';
  } catch (e) { out = e.constructor.name; }
  const el = Date.now() - t0; const h = [A.hits, B.hits];
  await sleep(4000);
  console.log(`${name.padEnd(13)} caller done ${el} ms (${out}); hits at abort+ A=${h[0]} B=${h[1]}; 4s later A=${A.hits} B=${B.hits}; open upstream reqs A=${A.inflight} B=${B.inflight}; aborted A=${A.aborted} B=${B.aborted}`);
  A.close(); B.close();
}
process.exit(0);
