// Property-based fuzz of upstream misbehaviour through the Detour gateway (in-process, built dist).
// Usage: node attack/fuzz-gateway.mjs [numRuns] [seed]   (REPLAY='<json of case>' to replay one case)
import fc from 'fast-check';
import http from 'node:http';
import { loadConfig, startGateway } from '../apps/worker/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { caseArb as caseArb0, streamyCaseArb } from './arb.mjs';
const caseArb = process.env.STREAMY ? streamyCaseArb : caseArb0;

const N = Number(process.env.N ?? 3);
const DEADLINE = 3000;
const HANG_LIMIT = DEADLINE + 2500;
const numRuns = Number(process.argv[2] ?? 100);
const seed = Number(process.argv[3] ?? Date.now() % 1e9);
const gatewayKey = 'gw-fuzz-key-0123456789';
const process_errors = [];
process.on('unhandledRejection', (e) => process_errors.push(`unhandledRejection: ${e?.stack ?? e}`));
process.on('uncaughtException', (e) => process_errors.push(`uncaughtException: ${e?.stack ?? e}`));

const up = await startUpstream();
const stats = new Map();
const soft = new Map();
const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);

const call = (url, body) => new Promise((resolve) => {
  const t0 = Date.now();
  const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${gatewayKey}`, 'content-type': 'application/json' }, agent: false });
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
  req.end(JSON.stringify(body));
});
const get = (url) => new Promise((resolve) => http.get(url, { agent: false, headers: { authorization: `Bearer ${gatewayKey}` } }, (res) => { let s = ''; res.on('data', (d) => (s += d)); res.on('end', () => resolve({ status: res.statusCode, body: s, headers: res.headers })); }).on('error', (e) => resolve({ status: 0, body: String(e) })));

const parseSse = (text) => {
  const events = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const ev = { event: undefined, data: [] };
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('data:')) ev.data.push(line.slice(5).replace(/^ /, ''));
      else if (line.startsWith('event:')) ev.event = line.slice(6).trim();
    }
    if (ev.data.length) events.push({ event: ev.event, data: ev.data.join('\n') });
  }
  return events;
};
const badNumbers = (obj, path = '') => {
  const out = [];
  if (typeof obj === 'number') { if (!Number.isFinite(obj) || obj < 0) out.push(`${path}=${obj}`); }
  else if (obj && typeof obj === 'object') for (const [k, v] of Object.entries(obj)) out.push(...badNumbers(v, `${path}.${k}`));
  return out;
};
const keys = Array.from({ length: N }, (_, i) => keyFor(i));
const leaks = (text) => { const hits = []; for (const k of keys) { if (text.includes(k)) hits.push('whole key'); else if (text.includes(k.slice(-22))) hits.push('key tail'); else if (text.includes(k.slice(0, 18))) hits.push('key head'); } if (text.includes('SECRET-')) hits.push('SECRET-'); return hits; };

export const runCase = async (c, { verbose = false } = {}) => {
  up.reset(c.plans);
  const errBefore = process_errors.length;
  const logLines = [];
  const config = loadConfig({
    endpoints: Array.from({ length: N }, (_, i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })),
    gatewayKeys: [gatewayKey],
    router: { deadlineMs: DEADLINE, streamIdleTimeoutMs: 1000, firstByteTimeoutMs: 2000 },
  }, {});
  const gw = await startGateway({ config, accessLog: (l) => logLines.push(l) });
  const problems = [];
  let res;
  try {
    res = await call(`${gw.url}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: c.stream });
    const metrics = await get(`${gw.url}/metrics`);
    const health = await get(`${gw.url}/healthz`);
    await new Promise((r) => setTimeout(r, 20));
    const reqs = up.state.requests;
    const label = `${res.status} ${res.headers['x-detour-error'] ?? ''} ${res.end}`;
    bump(stats, label);
    if (verbose) console.log({ res: { status: res.status, end: res.end, ms: res.ms, headers: res.headers, body: res.body.slice(0, 3000) }, reqs: reqs.map((r) => r.ep), wholes: up.state.wholes, log: logLines });
    // 2 no hang
    if (res.ms > HANG_LIMIT) problems.push(`HANG: call took ${res.ms} ms (limit ${HANG_LIMIT})`);
    // 3
    if (process_errors.length > errBefore) problems.push(`CRASH: ${process_errors.slice(errBefore).join('\n')}`);
    // 1 success
    const st = res.status;
    const ct = String(res.headers['content-type'] ?? '');
    if (st === undefined) { if (res.end !== 'reqerror ECONNRESET') problems.push(`NO RESPONSE: ${res.end}`); }
    else if (st >= 200 && st < 300) {
      if (c.stream && /event-stream/i.test(ct)) {
        const evs = parseSse(res.body);
        const last = evs.at(-1);
        let content = ''; let finish = null; let errEv = false; let badJson = false;
        for (const e of evs) {
          if (e.data === '[DONE]') continue;
          let j; try { j = JSON.parse(e.data); } catch { badJson = true; continue; }
          if (e.event === 'error' || j.error) { errEv = true; continue; }
          const ch = j.choices?.[0];
          if (ch?.delta?.content) content += ch.delta.content;
          if (ch?.finish_reason) finish = ch.finish_reason;
        }
        const cleanEnd = res.end === 'clean' && !errEv;
        if (cleanEnd) {
          if (last?.data !== '[DONE]' && !finish) problems.push(`FALSE SUCCESS: stream ended cleanly without [DONE] or finish_reason: ${res.body.slice(-300)}`);
          else if (!up.state.wholes.some((w) => w.kind === 'sse' && w.content === content)) problems.push(`FALSE SUCCESS: clean stream content ${JSON.stringify(content)} is no whole answer sent (${JSON.stringify(up.state.wholes)})`);
          if (badJson) problems.push('FALSE SUCCESS: stream had unparseable data');
          if (!finish) bump(soft, 'clean stream without finish_reason');
        }
      } else if (c.stream && res.body.startsWith('data:') && c.plans.some((seq) => seq.some((p) => (p.extraHeaders ?? []).some(([k]) => k === 'content-type')))) {
        bump(soft, 'SSE relayed under the first of two Content-Type lines (repro-dup-ctype.mjs)');
      } else if (c.stream) {
        problems.push(`FALSE SUCCESS: stream request answered ${st} ${ct}: ${res.body.slice(0, 200)}`);
      } else {
        let j; try { j = JSON.parse(res.body); } catch { problems.push(`FALSE SUCCESS: ${st} body not JSON: ${res.body.slice(0, 200)}`); }
        if (j) {
          const content = j.choices?.[0]?.message?.content;
          if (!up.state.wholes.some((w) => w.kind === 'json' && w.content === content)) {
            const k = `200 JSON not a whole answer: ${JSON.stringify(j).slice(0, 120)}`;
            if (j.choices?.[0]?.message && j.choices[0].finish_reason === undefined) bump(soft, '200 JSON without finish_reason'); else if (typeof j.choices?.[0]?.message?.content !== 'string') bump(soft, '200 wrong-shape JSON object served (known: H6 checks only for a non-empty object)'); else problems.push(`FALSE SUCCESS: ${k}`);
          }
        }
      }
      if (res.end !== 'clean' && !c.stream) problems.push(`JSON 2xx not ended cleanly: ${res.end}`);
    } else {
      // error statuses
      const relayed = res.headers['x-detour-endpoint'] !== undefined;
      if (st === 500 && !relayed) problems.push(`STATUS: caller got 500: ${res.body.slice(0, 300)}`);
      const ra = res.headers['retry-after'];
      if (ra !== undefined && !(/^\d+$/.test(ra) && Number(ra) <= 86400)) problems.push(`RETRY-AFTER: caller got Retry-After ${JSON.stringify(ra)}`);
      if (res.headers['x-should-retry'] !== 'false') problems.push(`X-SHOULD-RETRY: ${res.headers['x-should-retry']}`);
      if (!(relayed && st >= 400 && st < 600) && ![400, 401, 403, 404, 408, 409, 413, 422, 429, 502, 503, 504, 529, 499].includes(st) && !(st >= 300 && st < 400)) problems.push(`STATUS: unexpected ${st}: ${res.body.slice(0, 200)}`);
      if (res.headers['x-detour-error'] && !res.headers['x-detour-endpoint']) {
        let code; try { code = JSON.parse(res.body).error?.code; } catch {}
        if (typeof code !== 'string') problems.push(`CODE: detour error without string code: ${res.body.slice(0, 200)}`);
      }
      const ups = reqs.map((r, i) => r);
      const allStatuses = c.plans.flatMap((seq, ep) => reqs.filter((r) => r.ep === ep).map((_, n) => seq[Math.min(n, seq.length - 1)].status));
      if (allStatuses.length && allStatuses.every((s) => s === 429)) {
        if (![429, 503].includes(st)) problems.push(`STATUS: all upstreams 429, caller got ${st}`);
        else if (res.headers['retry-after'] === undefined) bump(soft, `all-429 → ${st} without Retry-After`);
      }
    }
    // 4 retries
    if (reqs.length > 8) problems.push(`STORM: ${reqs.length} upstream requests`);
    for (let ep = 0; ep < N; ep++) {
      const mine = reqs.filter((r) => r.ep === ep);
      for (let n = 0; n < mine.length - 1; n++) {
        const p = c.plans[ep][Math.min(n, c.plans[ep].length - 1)];
        if ([400, 401, 403, 404, 422].includes(p.status) && !(p.extraHeaders ?? []).some(([k, v]) => k === 'x-should-retry' && v === 'true')) problems.push(`RETRY: endpoint e${ep} retried after its ${p.status} (${p.shape}/${p.code}); requests to it: ${mine.length}`);
      }
    }
    // 5 cost
    const cost = res.headers['x-detour-cost-usd'];
    if (cost !== undefined && !(Number.isFinite(Number(cost)) && Number(cost) >= 0)) problems.push(`COST header ${cost}`);
    for (const l of logLines) { try { const b = badNumbers(JSON.parse(l)); if (b.length) problems.push(`COST/log numbers: ${b.join(', ')}`); } catch { problems.push(`LOG not JSON: ${l}`); } }
    for (const line of metrics.body.split('\n')) { if (!line || line.startsWith('#')) continue; const v = line.split(' ').at(-1); const num = Number(v); if (!Number.isFinite(num) || num < 0) problems.push(`METRICS: ${line}`); }
    // 6 keys
    const callerText = JSON.stringify(res.rawHeaders ?? []) + res.body;
    const antErr200 = res.status >= 200 && res.status < 300 && res.body.startsWith('{"type":"error"');
    if (antErr200) bump(soft, '200 Anthropic-shaped error body served as success (F: repro-200-error-body.mjs)');
    for (const [where, t] of [['caller', antErr200 ? JSON.stringify(res.rawHeaders ?? []) : callerText], ['metrics', metrics.body], ['healthz', health.body], ['accesslog', logLines.join('\n')]]) { const h = leaks(t); if (h.length) problems.push(`KEY LEAK in ${where}: ${h.join(',')}`); }
  } finally {
    await gw.close(0);
  }
  return { problems, res };
};

if (process.env.REPLAY) {
  const c = JSON.parse(process.env.REPLAY);
  const r = await runCase(c, { verbose: true });
  console.log(r.problems);
  await up.close();
  process.exit(0);
} else {
  let n = 0;
  let failure;
  try {
    await fc.assert(fc.asyncProperty(caseArb(N), async (c) => {
      n++;
      const { problems } = await runCase(c);
      if (problems.length) throw new Error(problems.join('\n'));
    }), { numRuns, seed, endOnFailure: false, verbose: 0, interruptAfterTimeLimit: Number(process.env.TIME_LIMIT ?? 20 * 60_000) });
  } catch (e) { failure = e; }
  console.log('cases executed (incl. shrinking):', n, 'seed', seed);
  console.log('outcomes:', JSON.stringify([...stats].sort((a, b) => b[1] - a[1])));
  console.log('soft:', JSON.stringify([...soft]));
  if (failure) { const m = String(failure.message); const i = m.indexOf('Counterexample: '); console.log(m.slice(i, m.indexOf('\n', i))); console.log('ERROR:', String(failure.cause?.message ?? m.slice(m.indexOf('Got '))).slice(0, 3000)); }
  await new Promise((r) => setTimeout(r, 6000));
  console.log('open upstream sockets after all cases:', up.state.openSockets.size, 'resources:', JSON.stringify(process.getActiveResourcesInfo()));
  await up.close();
}
