// Shared helpers: resolve packages from packages/node (same @opentelemetry/api instance as @detour/node's dist).
import { createRequire } from 'node:module';
import http from 'node:http';
export const require = createRequire('/tmp/attack21b/packages/node/package.json');
const wrequire = createRequire('/tmp/attack21b/apps/worker/package.json');
export const api = require('@opentelemetry/api');
export const sdk = require('@opentelemetry/sdk-trace-node');
export const OpenAI = wrequire('openai').default ?? wrequire('openai');
export const detour = await import('/tmp/attack21b/packages/node/dist/index.js');

export const setupOtel = (extraProcessors = []) => {
  const exporter = new sdk.InMemorySpanExporter();
  const provider = new sdk.NodeTracerProvider({ spanProcessors: [new sdk.SimpleSpanProcessor(exporter), ...extraProcessors] });
  provider.register();
  return { exporter, provider };
};

// A node:http upstream that counts requests; handler(req, res, n, body) decides per request.
export const upstream = async (name, handler) => {
  const hits = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let json; try { json = JSON.parse(body); } catch { json = undefined; }
      hits.push({ model: json?.model, stream: json?.stream, url: req.url });
      Promise.resolve(handler(req, res, hits.length, json)).catch(() => res.destroy());
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return { name, hits, port, baseUrl: `http://127.0.0.1:${port}/v1`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
};

export const chatJson = (model, { prompt = 7, completion = 5, cached, text = 'hi there' } = {}) => JSON.stringify({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: `${model}-2025-upstream`,
  choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
  usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...(cached !== undefined ? { prompt_tokens_details: { cached_tokens: cached } } : {}) },
});
export const ok = (res, model, usage) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(chatJson(model, usage)); };
export const status = (res, code, body = { error: { message: 'fail', type: 'server_error' } }, headers = {}) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify(body));
};
export const chunk = (model, content, finish = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: content === undefined ? {} : { content }, finish_reason: finish }] })}\n\n`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Streams `words` chunks (delay between), then either finishes or cuts (destroy) after `cutAfter` chunks.
export const stream = async (res, model, { words = 6, delay = 10, cutAfter, usage = true, hang } = {}) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  for (let i = 0; i < words; i++) {
    if (cutAfter !== undefined && i === cutAfter) { if (hang) return; res.destroy(); return; }
    await sleep(delay);
    if (res.destroyed) return;
    res.write(chunk(model, `w${i} `));
  }
  res.write(chunk(model, undefined, 'stop'));
  if (usage) res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 11, completion_tokens: words, total_tokens: 11 + words } })}\n\n`);
  res.write('data: [DONE]\n\n'); res.end();
};

export const summarize = (spans) => spans.map((s) => ({
  name: s.name, kind: s.kind === 2 ? 'CLIENT' : s.kind === 0 ? 'INTERNAL' : s.kind,
  trace: s.spanContext().traceId.slice(0, 8), id: s.spanContext().spanId.slice(0, 6), parent: (s.parentSpanContext?.spanId ?? s.parentSpanId ?? '').slice(0, 6),
  status: s.status.code === 2 ? `ERROR:${s.status.message}` : s.status.code, durMs: +(s.duration[0] * 1e3 + s.duration[1] / 1e6).toFixed(1),
  attrs: s.attributes, events: s.events.map((e) => ({ name: e.name, attrs: e.attributes })),
}));
export const print = (label, obj) => console.log(`--- ${label}\n${JSON.stringify(obj, null, 1)}`);
export const withTimeout = (p, ms, what = 'op') => Promise.race([p, sleep(ms).then(() => { throw new Error(`timeout ${what}`); })]);
