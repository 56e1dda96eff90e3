// Property-based fuzz of misbehaving upstreams through the Detour gateway on /v1/messages and /v1/responses.
// Usage: API=messages|responses [STREAMY=1] [HB=1 healthy backup] [GET=1] [N=2] node fuzz-gw15.mjs [runs] [seed]
//        REPLAY='<case json>' to replay one case verbosely.
import fc from 'fast-check';
import http from 'node:http';
import { loadConfig, startGateway } from '../dist/index.js';
import { startUpstream, keyFor } from './upstream15.mjs';
import { caseArb } from './arb15.mjs';

const API = process.env.API ?? 'messages';
const N = Number(process.env.N ?? 2);
const HB = !!process.env.HB;
const DEADLINE = 3000; const HANG_LIMIT = DEADLINE + 2500;
const numRuns = Number(process.argv[2] ?? 100); const seed = Number(process.argv[3] ?? 1);
const gatewayKey = 'gw-fuzz-key-0123456789';
const perr = [];
process.on('unhandledRejection', (e) => perr.push(`unhandledRejection: ${e?.stack ?? e}`));
process.on('uncaughtException', (e) => perr.push(`uncaughtException: ${e?.stack ?? e}`));
const up = await startUpstream(API);
const stats = new Map(); const soft = new Map(); const probs = new Map();
const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);

const call = (url, method, body) => new Promise((resolve) => {
  const t0 = Date.now();
  const headers = API === 'messages' ? { 'x-api-key': gatewayKey, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' } : { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' };
  const req = http.request(url, { method, headers, agent: false });
  const out = { status: undefined, headers: {}, chunks: [], end: 'none' };
  const timer = setTimeout(() => { out.end = 'hang'; req.destroy(); }, HANG_LIMIT + 4000);
  req.on('response', (res) => {
    out.status = res.statusCode; out.headers = res.headers; out.rawHeaders = res.rawHeaders;
    res.on('data', (d) => out.chunks.push(d));
    res.on('end', () => { if (out.end === 'none') out.end = 'clean'; });
    res.on('aborted', () => { if (out.end === 'none') out.end = 'aborted'; });
    res.on('error', () => { if (out.end === 'none') out.end = 'error'; });
    res.on('close', () => { clearTimeout(timer); if (out.end === 'none') out.end = 'aborted'; out.ms = Date.now() - t0; out.body = Buffer.concat(out.chunks).toString('utf8'); resolve(out); });
  });
  req.on('error', (e) => { clearTimeout(timer); if (out.status === undefined) { out.end = `reqerror ${e.code}`; out.ms = Date.now() - t0; out.body = ''; resolve(out); } });
  req.end(body ? JSON.stringify(body) : undefined);
});
const get = (url) => new Promise((resolve) => http.get(url, { agent: false, headers: { authorization: `Bearer ${gatewayKey}` } }, (res) => { let s = ''; res.on('data', (d) => (s += d)); res.on('end', () => resolve({ status: res.statusCode, body: s })); }).on('error', (e) => resolve({ status: 0, body: String(e) })));
export const parseSse = (text) => {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const ev = { event: undefined, data: [] };
    for (const line of block.split(/\r?\n/)) { if (line.startsWith('data:')) ev.data.push(line.slice(5).replace(/^ /, '')); else if (line.startsWith('event:')) ev.event = line.slice(6).trim(); }
    if (ev.data.length) events.push({ event: ev.event, data: ev.data.join('\n') });
  }
  return events;
};
const badNumbers = (obj, path = '') => { const out = []; if (typeof obj === 'number') { if (!Number.isFinite(obj) || obj < 0) out.push(`${path}=${obj}`); } else if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) out.push(...badNumbers(v, `${path}.${k}`)); return out; };
const keys = Array.from({ length: N }, (_, i) => keyFor(i));
const decode = (t) => { let s = t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\\//g, '/'); try { s = decodeURIComponent(s.replace(/%(?![0-9a-fA-F]{2})/g, '%25')); } catch {} return s; };
export const leaks = (text) => { const hits = new Set(); for (const t of [text, decode(text), decode(decode(text))]) for (const k of keys) for (let i = 0; i + 8 <= k.length; i++) { const w = k.slice(i, i + 8); if (t.includes(w)) { hits.add(`${k.slice(0, 17)}…[${i}..${i + 8}) "${w}"`); break; } } return [...hits]; };

const contentOf = (evs) => {
  let content = ''; let err = null; let last; let start = false; let stop = false; let incomplete = false; let badJson = false; let usage;
  for (const e of evs) {
    let j; try { j = JSON.parse(e.data); } catch { badJson = true; continue; }
    const t = j.type ?? e.event;
    last = t;
    if (API === 'messages') {
      if (t === 'message_start') start = true;
      if (t === 'error' || e.event === 'error') err = j;
      if (t === 'content_block_delta' && j.delta?.type === 'text_delta' && !stop) content += j.delta.text;
      if (t === 'message_stop') stop = true;
    } else {
      if (t === 'response.created') start = true;
      if (t === 'error' || t === 'response.failed' || e.event === 'error') err = j;
      if (t === 'response.output_text.delta' && !stop) content += j.delta;
      if (t === 'response.completed') { stop = true; if (j.response?.status !== 'completed') err = j; usage = j.response?.usage; }
      if (t === 'response.incomplete') { stop = true; incomplete = true; }
    }
  }
  return { content, err, last, start, stop, incomplete, badJson };
};
const jsonContent = (j) => API === 'messages' ? (j?.type === 'message' ? j.content?.[0]?.text : undefined) : (j?.object === 'response' ? j.output?.[0]?.content?.[0]?.text : undefined);

export const runCase = async (c, { verbose = false } = {}) => {
  up.reset(c.plans);
  const e0 = perr.length; const logLines = [];
  const config = loadConfig({
    endpoints: Array.from({ length: N }, (_, i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i), provider: API === 'messages' ? 'anthropic' : 'openai' })),
    gatewayKeys: [gatewayKey],
    router: { deadlineMs: DEADLINE, streamIdleTimeoutMs: 1000, firstByteTimeoutMs: 2000, bodyIdleTimeoutMs: 1000 },
  }, {});
  const gw = await startGateway({ config, accessLog: (l) => logLines.push(l) });
  const problems = []; let res;
  try {
    const path = API === 'messages' ? '/v1/messages' : c.method === 'GET' ? '/v1/responses/resp_fz1' : '/v1/responses';
    const body = c.method === 'GET' ? undefined : API === 'messages' ? { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: c.stream } : { model: 'gpt-4.1-mini', input: 'hi', stream: c.stream };
    res = await call(`${gw.url}${path}`, c.method, body);
    const metrics = await get(`${gw.url}/metrics`); const health = await get(`${gw.url}/healthz`);
    await new Promise((r) => setTimeout(r, 20));
    const reqs = up.state.requests;
    bump(stats, `${res.status} ${res.headers['x-detour-error'] ?? ''} ${res.end}`);
    if (verbose) console.log(JSON.stringify({ res: { status: res.status, end: res.end, ms: res.ms, headers: res.headers, body: res.body.slice(0, 4000) }, reqs: reqs.map((r) => `${r.ep} ${r.method} ${r.path}`), wholes: up.state.wholes, log: logLines }, null, 1));
    if (res.ms > HANG_LIMIT) problems.push(`HANG: call took ${res.ms} ms`);
    if (perr.length > e0) problems.push(`CRASH: ${perr.slice(e0).join('\n')}`);
    const st = res.status; const ct = String(res.headers['content-type'] ?? '');
    let success = false;
    if (st === undefined) { if (res.end !== 'reqerror ECONNRESET') problems.push(`NO RESPONSE: ${res.end}`); }
    else if (st >= 200 && st < 300) {
      if (c.stream && /event-stream/i.test(ct)) {
        const evs = parseSse(res.body); const r = contentOf(evs);
        if (r.badJson) problems.push(`STREAM: unparseable data line reached the caller: ${res.body.slice(0, 300)}`);
        if (res.end === 'clean' && !r.err) {
          if (!r.stop) problems.push(`FALSE SUCCESS: stream ended cleanly without its terminal event (last ${r.last}): …${res.body.slice(-300)}`);
          else if (!r.start) problems.push(`FALSE SUCCESS: stream ended cleanly with no ${API === 'messages' ? 'message_start' : 'response.created'}: ${res.body.slice(0, 300)}`);
          else if (!up.state.wholes.some((w) => w.kind === 'sse' && w.content === r.content)) problems.push(`FALSE SUCCESS: clean stream content ${JSON.stringify(r.content)} is no whole answer sent (${JSON.stringify(up.state.wholes)})`);
          else { success = true; if (r.incomplete) bump(soft, 'response.incomplete relayed (visible)'); }
        } else if (res.end === 'clean' && r.err) bump(soft, `stream ended with visible error event (${r.content ? 'after content' : 'no content'})`);
        else bump(soft, `stream aborted (${res.end}) after ${r.content.length} chars`);
      } else if (c.stream) problems.push(`FALSE SUCCESS: stream request answered ${st} ${ct}: ${res.body.slice(0, 200)}`);
      else {
        let j; try { j = JSON.parse(res.body); } catch { problems.push(`FALSE SUCCESS: ${st} body not JSON (${res.end}): ${res.body.slice(0, 200)}`); }
        if (j) {
          const content = jsonContent(j);
          if (content === undefined) problems.push(`FALSE SUCCESS: 2xx JSON is no ${API} object: ${res.body.slice(0, 200)}`);
          else if (!up.state.wholes.some((w) => w.kind === 'json' && w.content === content)) problems.push(`FALSE SUCCESS: 2xx JSON not a whole answer: ${res.body.slice(0, 200)}`);
          else if (API === 'responses' && j.status !== 'completed' && j.status !== 'incomplete') problems.push(`FALSE SUCCESS: Responses object with status ${j.status} served`);
          else success = true;
          if (!/^application\/json/i.test(ct)) problems.push(`CTYPE: 2xx JSON served as ${ct}`);
        }
        if (res.end !== 'clean') problems.push(`JSON 2xx not ended cleanly: ${res.end}`);
      }
    } else {
      let j; try { j = JSON.parse(res.body); } catch {}
      const okShape = API === 'messages' ? j?.type === 'error' && typeof j?.error?.type === 'string' && typeof j?.error?.message === 'string' : typeof j?.error?.message === 'string';
      if (!okShape) problems.push(`ERROR SHAPE: ${st} body not in ${API}'s error shape: ${res.body.slice(0, 200)}`);
      if (st < 400 || st > 599 || (st === 500 && !res.headers['x-detour-endpoint'])) problems.push(`STATUS: caller got ${st}`);
      const ra = res.headers['retry-after'];
      if (ra !== undefined && !(/^\d+$/.test(ra) && Number(ra) <= 86400)) problems.push(`RETRY-AFTER: ${JSON.stringify(ra)}`);
      const allStatuses = c.plans.flatMap((seq, ep) => reqs.filter((r) => r.ep === ep).map((_, n) => seq[Math.min(n, seq.length - 1)].status));
      if (allStatuses.length && allStatuses.every((s) => s === 429) && ![429, 503].includes(st)) problems.push(`STATUS: all upstreams 429, caller got ${st}`);
      if (API === 'messages' && j?.type === 'error' && st === 529 !== (j.error.type === 'overloaded_error') && st === 529) bump(soft, '529 without overloaded_error');
    }
    if (HB && !success && c.method !== 'GET') {
      const p0 = c.plans[0][0];
      const relayed4xx = st >= 400 && st < 500 && st !== 429 && st !== 408 && res.headers['x-detour-endpoint'] === 'e0';
      const backupAsked = reqs.some((r) => r.ep === N - 1);
      if (!relayed4xx) {
        const k = `BACKUP: primary failed (${p0.status} ${p0.shape} end=${p0.end}), caller got ${st} ${res.headers['x-detour-error'] ?? ''} ${res.end}; backup asked: ${backupAsked}`;
        if (st >= 200 && st < 300 && c.stream) bump(soft, `HB stream not success after commit: backupAsked=${backupAsked}`); else problems.push(k);
      } else bump(soft, `HB: primary's ${st} relayed (request's fault)`);
    }
    if (reqs.length > 8) problems.push(`STORM: ${reqs.length} upstream requests`);
    const cost = res.headers['x-detour-cost-usd'];
    if (cost !== undefined) { const v = Number(cost); if (!(Number.isFinite(v) && v >= 0)) problems.push(`COST header ${cost}`); else if (v > 1) problems.push(`COST absurd: x-detour-cost-usd ${cost} (usage plans ${c.plans.flat().map((p) => p.usage)})`); }
    for (const l of logLines) { try { const jl = JSON.parse(l); const b = badNumbers(jl); if (b.length) problems.push(`COST/log numbers: ${b.join(', ')}`); if (typeof jl.costUsd === 'number' && jl.costUsd > 1) problems.push(`COST absurd in access log: ${jl.costUsd}`); } catch { problems.push(`LOG not JSON: ${l}`); } }
    for (const line of metrics.body.split('\n')) { if (!line || line.startsWith('#')) continue; const num = Number(line.split(' ').at(-1)); if (!Number.isFinite(num) || num < 0) problems.push(`METRICS: ${line}`); else if (/cost/.test(line) && num > 1) problems.push(`COST absurd in metrics: ${line}`); }
    const callerText = JSON.stringify(res.rawHeaders ?? []) + res.body;
    for (const [where, t] of [['caller', callerText], ['metrics', metrics.body], ['healthz', health.body], ['accesslog', logLines.join('\n')]]) { const h = leaks(t); if (h.length) problems.push(`KEY LEAK in ${where}: ${h.join(', ')}`); }
  } finally { await gw.close(0); }
  for (const p of problems) bump(probs, p.replace(/\d{3,}/g, '#').slice(0, 90));
  return { problems, res };
};

if (process.env.REPLAY) { const r = await runCase(JSON.parse(process.env.REPLAY), { verbose: true }); console.log(r.problems); await up.close(); process.exit(0); }
let n = 0; let fails = 0; const firstFails = [];
// Run without stopping at the first failure: every case is checked; counterexamples of each problem kind are saved.
await fc.assert(fc.asyncProperty(caseArb(N, { streamyMode: !!process.env.STREAMY, healthyBackup: HB, get: !!process.env.GET }), async (c) => {
  n++;
  if (process.env.GETONLY) { c.method = 'GET'; c.stream = false; }
  const { problems } = await runCase(c);
  if (problems.length) { fails++; const kind = problems[0].replace(/\d{3,}/g, '#').slice(0, 60); if (!firstFails.some((f) => f.kind === kind)) firstFails.push({ kind, problems, c }); }
}), { numRuns, seed, interruptAfterTimeLimit: Number(process.env.TIME_LIMIT ?? 10 * 60_000) }).catch((e) => console.log('assert error', e.message.slice(0, 500)));
console.log(`API=${API} N=${N} HB=${HB} STREAMY=${!!process.env.STREAMY} GET=${!!process.env.GET} seed=${seed}: cases ${n}, cases with problems ${fails}`);
console.log('outcomes:', JSON.stringify([...stats].sort((a, b) => b[1] - a[1])));
console.log('soft:', JSON.stringify([...soft]));
console.log('problem kinds (count):'); for (const [k, v] of [...probs].sort((a, b) => b[1] - a[1])) console.log(`  ${v}× ${k}`);
for (const f of firstFails) { console.log('--- first case of kind:', f.kind); console.log(f.problems.join('\n').slice(0, 1500)); console.log('CASE', JSON.stringify(f.c)); }
await new Promise((r) => setTimeout(r, 3000));
console.log('open upstream sockets after all cases:', up.state.openSockets.size);
await up.close(); process.exit(0);
