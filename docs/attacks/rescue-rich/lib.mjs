// Shared harness: scripted node:http upstreams, a gateway, createFetch, SDK clients. Everything on 127.0.0.1:0.
import http from 'node:http';
import { createRequire } from 'node:module';

const R = '/tmp/a18-rescue';
const reqW = createRequire(`${R}/apps/worker/package.json`);
const reqN = createRequire(`${R}/packages/node/package.json`);
export const OpenAI = (await import(reqW.resolve('openai'))).default;
export const Anthropic = (await import(reqW.resolve('@anthropic-ai/sdk'))).default;
const worker = await import(`${R}/apps/worker/dist/index.js`);
const nodePkg = await import(`${R}/packages/node/dist/index.js`);
export const { loadConfig, startGateway } = worker;
export const { createFetch } = nodePkg;

// Hard stop for every script.
export const hardStop = (ms = 60000) => setTimeout(() => { console.log(`HARD STOP after ${ms} ms`); process.exit(3); }, ms).unref();

/** SSE text of chat chunks. */
export const sse = (events) => events.map((e) => (typeof e === 'string' ? (e.startsWith('event:') ? e : `data: ${e}`) : `data: ${JSON.stringify(e)}`) + '\n\n').join('');
/** Anthropic-style named events. */
export const asse = (events) => events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join('');

/**
 * A scripted upstream. `plan(body, n, req)` returns { raw: string (SSE text), cutAt?: byte offset, how?: 'reset'|'close', status?, json? }.
 * Records every request body.
 */
export const upstream = async (name, plan) => {
  const bodies = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body; try { body = JSON.parse(text); } catch { body = text; }
      bodies.push({ path: req.url, body });
      const p = plan(body, bodies.length, req);
      if (p.status && p.status !== 200) { res.writeHead(p.status, { 'content-type': 'application/json' }); res.end(JSON.stringify(p.json ?? { error: { message: 'x' } })); return; }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const buf = Buffer.from(p.raw, 'utf8');
      const cutAt = p.cutAt ?? buf.length;
      // send in a few writes so the client sees several chunks
      const head = buf.subarray(0, cutAt);
      const step = Math.max(1, Math.ceil(head.length / 4));
      for (let i = 0; i < head.length; i += step) { res.write(head.subarray(i, i + step)); await new Promise((r) => setTimeout(r, 5)); }
      if (cutAt >= buf.length) { res.end(); return; }
      await new Promise((r) => setTimeout(r, 20));
      if (p.how === 'reset') { req.socket.resetAndDestroy ? req.socket.resetAndDestroy() : req.socket.destroy(); }
      else res.end(); // clean close without the terminal event
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { name, baseUrl: `http://127.0.0.1:${port}/v1`, bodies, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
};

/** Byte offset in `raw` just after the k-th occurrence of `needle` (or at a fixed byte). */
export const after = (raw, needle, k = 1) => { let i = -1; for (let j = 0; j < k; j++) { i = raw.indexOf(needle, i + 1); if (i < 0) throw new Error(`no ${needle}`); } return Buffer.byteLength(raw.slice(0, i + needle.length), 'utf8'); };

export const baseRouter = { retryBudget: { ratio: 1 }, streamIdleTimeoutMs: 3000, firstByteTimeoutMs: 5000, deadlineMs: 20000, cooldown: { overloadedMs: 60000 } };

export const endpointsFor = (ups, extra = [{}, {}]) => ups.map((u, i) => ({ name: u.name, baseUrl: u.baseUrl, apiKey: `sk-${u.name}`, priority: i, ...(extra[i] ?? {}) }));

export const gateway = async (endpoints, router = {}) => {
  const log = [];
  const config = loadConfig({ endpoints, gatewayKeys: ['gk-test-123456789'], router: { ...baseRouter, ...router } }, {});
  const gw = await startGateway({ config, accessLog: (line) => log.push(line) });
  return { gw, url: gw.url, log, close: () => gw.close(0) };
};

export const detourFetch = (endpoints, router = {}) => {
  const f = createFetch({ endpoints, ...baseRouter, ...router });
  const events = [];
  f.router?.subscribe?.((e) => events.push(e));
  return { fetch: f, events };
};

/** Runs an openai chat stream, collecting chunks and the ending. */
export const openaiChat = async (client, params) => {
  const chunks = []; let error; let headers;
  try {
    const { data: stream, response } = await client.chat.completions.create({ ...params, stream: true }).withResponse();
    headers = Object.fromEntries(response.headers);
    for await (const c of stream) chunks.push(c);
  } catch (e) { error = `${e.constructor?.name}: ${String(e.message).slice(0, 400)}`; }
  return { chunks, error, headers };
};

/** Assemble a chat stream per choice. */
export const assemble = (chunks) => {
  const out = {};
  let usage = [];
  for (const c of chunks) {
    if (c.usage) usage.push(c.usage);
    for (const ch of c.choices ?? []) {
      const o = (out[ch.index] ??= { content: '', reasoning: '', tools: [], finish: [], logprobs: 0, chunksWithText: 0 });
      const d = ch.delta ?? {};
      if (typeof d.content === 'string') o.content += d.content;
      if (typeof d.reasoning_content === 'string') o.reasoning += d.reasoning_content;
      if (typeof d.reasoning === 'string') o.reasoning += d.reasoning;
      if (Array.isArray(d.reasoning_details)) { o.details = (o.details ?? '') + d.reasoning_details.map((x) => x.text ?? '').join(''); }
      if (typeof d.reasoning === 'string' && typeof d.reasoning_content === 'string') o.reasoningFieldOnly = (o.reasoningFieldOnly ?? '') + d.reasoning;
      if (typeof d.content === 'string' && d.content !== '') { o.chunksWithText++; if (ch.logprobs?.content?.length) o.logprobs++; }
      for (const t of d.tool_calls ?? []) {
        const k = t.index ?? 0; const tc = (o.tools[k] ??= { ids: [], name: '', arguments: '' });
        if (t.id) tc.ids.push(t.id); if (t.function?.name) tc.name += t.function.name; if (t.function?.arguments) tc.arguments += t.function.arguments;
      }
      if (ch.finish_reason) o.finish.push(ch.finish_reason);
    }
  }
  return { choices: out, usage, ids: [...new Set(chunks.map((c) => c.id))] };
};

export const show = (label, value) => console.log(`${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
export const check = (label, ok, detail = '') => { console.log(`${ok ? 'HELD ' : 'FAIL '} ${label}${detail ? ` -- ${detail}` : ''}`); return ok; };

/** Chat chunk factory. */
export const chunkOf = (id, delta, finish = null, extra = {}) => ({ id, object: 'chat.completion.chunk', created: id === 'p' ? 111 : 999, model: 'gpt-4.1', choices: [{ index: 0, delta, finish_reason: finish, ...extra }] });

/** Byte offset just after the whole event that contains the k-th `needle`. */
export const afterEvent = (raw, needle, k = 1) => { let i = -1; for (let j = 0; j < k; j++) { i = raw.indexOf(needle, i + 1); if (i < 0) throw new Error(`no ${needle}`); } const end = raw.indexOf('\n\n', i) + 2; return Buffer.byteLength(raw.slice(0, end), 'utf8'); };
