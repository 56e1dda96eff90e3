// Property-based fuzz of upstream misbehaviour through createFetch (@detour/node) + the real openai SDK.
// Usage: node attack/fuzz-sdk.mjs [numRuns] [seed]   (REPLAY='<json>' to replay one case)
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { createFetch } from '../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { caseArb as caseArb0, streamyCaseArb } from './arb.mjs';
const caseArb = process.env.STREAMY ? streamyCaseArb : caseArb0;
const require = createRequire(new URL('../packages/node/package.json', import.meta.url));
const OpenAI = (await import(require.resolve('openai'))).default;

const N = Number(process.env.N ?? 3); const DEADLINE = 3000; const HANG_LIMIT = DEADLINE + 2500;
const numRuns = Number(process.argv[2] ?? 100); const seed = Number(process.argv[3] ?? 7);
const perr = [];
process.on('unhandledRejection', (e) => perr.push(`unhandledRejection: ${e?.stack ?? e}`));
process.on('uncaughtException', (e) => perr.push(`uncaughtException: ${e?.stack ?? e}`));
const up = await startUpstream();
const stats = new Map(); const bump = (k) => stats.set(k, (stats.get(k) ?? 0) + 1);
const keys = Array.from({ length: N }, (_, i) => keyFor(i));
const leaks = (t) => { const h = []; for (const k of keys) { if (t.includes(k)) h.push('whole key'); else if (t.includes(k.slice(-22))) h.push('key tail'); else if (t.includes(k.slice(0, 18))) h.push('key head'); } if (t.includes('SECRET-')) h.push('SECRET-'); return h; };

const runCase = async (c, { verbose = false } = {}) => {
  up.reset(c.plans);
  const e0 = perr.length;
  const fetch = createFetch({ endpoints: Array.from({ length: N }, (_, i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })), deadlineMs: DEADLINE, streamIdleTimeoutMs: 1000, firstByteTimeoutMs: 2000 });
  const client = new OpenAI({ apiKey: 'caller-key', fetch, maxRetries: 0, timeout: 20000 });
  const problems = []; const t0 = Date.now();
  let content = ''; let err; let result; let finish;
  try {
    if (c.stream) {
      const s = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const ch of s) { content += ch.choices?.[0]?.delta?.content ?? ''; if (ch.choices?.[0]?.finish_reason) finish = ch.choices[0].finish_reason; }
      result = 'stream-ok';
    } else {
      const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      content = r?.choices?.[0]?.message?.content; finish = r?.choices?.[0]?.finish_reason; result = 'json-ok';
      if (typeof r === 'string') { bump('soft: SDK got a string (JSON 200 without application/json content-type)'); content = (() => { try { return JSON.parse(r).choices?.[0]?.message?.content; } catch { return r; } })(); }
      else if (typeof r !== 'object' || r === null) problems.push(`FALSE SUCCESS: SDK returned ${typeof r}: ${String(r).slice(0, 200)}`);
    }
  } catch (e) { err = e; }
  const ms = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  const reqs = up.state.requests;
  bump(err ? `throw ${err.constructor?.name} ${err.status ?? ''} ${err.code ?? err.error?.code ?? ''}` : result);
  if (verbose) console.log({ ms, result, content, finish, err: err && { name: err.constructor?.name, status: err.status, message: err.message, error: err.error, headers: err.headers && Object.fromEntries(err.headers) }, reqs: reqs.map((r) => r.ep), wholes: up.state.wholes });
  if (ms > HANG_LIMIT) problems.push(`HANG: ${ms} ms`);
  if (perr.length > e0) problems.push(`CRASH: ${perr.slice(e0).join('\n')}`);
  if (!err) {
    const kind = c.stream ? 'sse' : 'json';
    if (!c.stream && typeof content !== 'string') bump('soft: wrong-shape JSON served'); else if (!up.state.wholes.some((w) => w.kind === kind && w.content === content)) problems.push(`FALSE SUCCESS: ${kind} content ${JSON.stringify(content)} not a whole answer sent (${JSON.stringify(up.state.wholes)}) finish=${finish}`);
  } else {
    if (err.status === undefined && !/APIConnection|APIUserAbort|Timeout|APIError|StreamInterrupted/.test(err.constructor?.name)) problems.push(`ODD ERROR: ${err.constructor?.name}: ${err.message}`);
    const allStatuses = c.plans.flatMap((seq, ep) => reqs.filter((r) => r.ep === ep).map((_, n) => seq[Math.min(n, seq.length - 1)].status));
    if (allStatuses.length && allStatuses.every((s) => s === 429) && ![429, 503].includes(err.status)) problems.push(`STATUS: all 429 upstream, SDK saw ${err.status} ${err.message}`);
  }
  if (reqs.length > 8) problems.push(`STORM: ${reqs.length} upstream requests`);
  for (let ep = 0; ep < N; ep++) { const mine = reqs.filter((r) => r.ep === ep); for (let n = 0; n < mine.length - 1; n++) { const p = c.plans[ep][Math.min(n, c.plans[ep].length - 1)]; if ([400, 401, 403, 404, 422].includes(p.status) && !(p.extraHeaders ?? []).some(([k, v]) => k === 'x-should-retry' && v === 'true')) problems.push(`RETRY: e${ep} retried after its ${p.status} (${p.shape}/${p.code}); requests ${mine.length}`); } }
  const text = JSON.stringify({ content, m: err?.message, e: err?.error, h: err?.headers ? [...err.headers] : null, stack: err?.stack, cause: String(err?.cause ?? '') });
  const h = leaks(text); if (h.length) bump(`soft: key reached createFetch caller (${err?.headers && [...err.headers].some(([, v]) => v.includes('SECRET')) ? 'header' : 'body/message'})`);
  await fetch.router.close?.();
  return problems;
};

if (process.env.REPLAY) { console.log(await runCase(JSON.parse(process.env.REPLAY), { verbose: true })); await up.close(); process.exit(0); }
let n = 0; let failure;
try { await fc.assert(fc.asyncProperty(caseArb(N), async (c) => { n++; const p = await runCase(c); if (p.length) throw new Error(p.join('\n')); }), { numRuns, seed, interruptAfterTimeLimit: Number(process.env.TIME_LIMIT ?? 600000) }); } catch (e) { failure = e; }
console.log('cases executed (incl. shrinking):', n, 'seed', seed);
console.log('outcomes:', JSON.stringify([...stats].sort((a, b) => b[1] - a[1])));
if (failure) { const m = String(failure.message); const i = m.indexOf('Counterexample: '); console.log(m.slice(i, m.indexOf('\n', i))); console.log('ERROR:', String(failure.cause?.message ?? m.slice(m.indexOf('Got '))).slice(0, 3000)); }
await new Promise((r) => setTimeout(r, 6000));
console.log('open upstream sockets after all cases:', up.state.openSockets.size, 'resources:', JSON.stringify(process.getActiveResourcesInfo()));
await up.close(); process.exit(0);
