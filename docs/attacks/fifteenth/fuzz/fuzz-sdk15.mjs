// Property-based fuzz through createFetch (@detour/node) under @anthropic-ai/sdk (Messages) and openai (Responses).
// Usage: API=messages|responses [STREAMY=1] [HB=1] [GET=1] node fuzz-sdk15.mjs [runs] [seed]; REPLAY='<json>'
import fc from 'fast-check';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createFetch } from '../../../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream15.mjs';
import { caseArb } from './arb15.mjs';

const API = process.env.API ?? 'messages'; const N = Number(process.env.N ?? 2); const HB = !!process.env.HB;
const DEADLINE = 3000; const HANG_LIMIT = DEADLINE + 2500;
const numRuns = Number(process.argv[2] ?? 100); const seed = Number(process.argv[3] ?? 7);
const perr = [];
process.on('unhandledRejection', (e) => perr.push(`unhandledRejection: ${e?.stack ?? e}`));
process.on('uncaughtException', (e) => perr.push(`uncaughtException: ${e?.stack ?? e}`));
const up = await startUpstream(API);
const stats = new Map(); const probs = new Map(); const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);

const runCase = async (c, { verbose = false } = {}) => {
  up.reset(c.plans);
  const e0 = perr.length;
  const fetch = createFetch({ endpoints: Array.from({ length: N }, (_, i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i), provider: API === 'messages' ? 'anthropic' : 'openai' })), deadlineMs: DEADLINE, streamIdleTimeoutMs: 1000, firstByteTimeoutMs: 2000, bodyIdleTimeoutMs: 1000 });
  const problems = []; const t0 = Date.now();
  let content = ''; let err; let result; let incomplete = false; let sawStop = false;
  try {
    if (API === 'messages') {
      const client = new Anthropic({ apiKey: 'caller-key', baseURL: up.base(0).replace(/\/v1$/, ''), fetch, maxRetries: 0, timeout: 20000 });
      const params = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
      if (c.stream) {
        const s = await client.messages.create({ ...params, stream: true });
        for await (const ev of s) { if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') content += ev.delta.text; if (ev.type === 'message_stop') sawStop = true; }
        result = 'stream-ok';
      } else {
        const r = await client.messages.create(params);
        result = 'json-ok';
        if (typeof r !== 'object' || r === null) problems.push(`FALSE SUCCESS: SDK returned ${typeof r}: ${String(r).slice(0, 200)}`);
        else if (r.type !== 'message') problems.push(`FALSE SUCCESS: SDK returned an object of type ${r.type}: ${JSON.stringify(r).slice(0, 200)}`);
        content = r?.content?.[0]?.text;
      }
    } else {
      const client = new OpenAI({ apiKey: 'caller-key', baseURL: up.base(0), fetch, maxRetries: 0, timeout: 20000 });
      if (c.method === 'GET') {
        const r = await client.responses.retrieve('resp_fz1'); result = 'get-ok'; content = r?.output_text; incomplete = r?.status === 'incomplete';
        if (r?.status !== 'completed' && r?.status !== 'incomplete') problems.push(`FALSE SUCCESS: retrieve returned status ${r?.status}`);
      } else if (c.stream) {
        const s = await client.responses.create({ model: 'gpt-4.1-mini', input: 'hi', stream: true });
        for await (const ev of s) { if (ev.type === 'response.output_text.delta') content += ev.delta; if (ev.type === 'response.completed') { sawStop = true; if (ev.response.status !== 'completed') problems.push(`FALSE SUCCESS: response.completed with status ${ev.response.status} iterated without a throw`); } if (ev.type === 'response.incomplete') { sawStop = true; incomplete = true; } if (ev.type === 'response.failed') problems.push('SDK iterated response.failed without throwing (app must check)'); }
        result = 'stream-ok';
      } else {
        const r = await client.responses.create({ model: 'gpt-4.1-mini', input: 'hi' }); result = 'json-ok'; content = r?.output_text; incomplete = r?.status === 'incomplete';
        if (typeof r !== 'object' || r === null) problems.push(`FALSE SUCCESS: SDK returned ${typeof r}`);
        else if (r.object !== 'response' || (r.status !== 'completed' && r.status !== 'incomplete')) problems.push(`FALSE SUCCESS: returned ${JSON.stringify(r).slice(0, 200)}`);
      }
    }
  } catch (e) { err = e; }
  const ms = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 20));
  const reqs = up.state.requests;
  bump(stats, err ? `throw ${err.constructor?.name} ${err.status ?? ''} ${err.error?.error?.type ?? err.error?.type ?? err.code ?? ''}` : result);
  if (verbose) console.log(JSON.stringify({ ms, result, content, sawStop, err: err && { name: err.constructor?.name, status: err.status, message: err.message, error: err.error }, reqs: reqs.map((r) => `${r.ep} ${r.method} ${r.path}`), wholes: up.state.wholes }, null, 1));
  if (ms > HANG_LIMIT) problems.push(`HANG: ${ms} ms`);
  if (perr.length > e0) problems.push(`CRASH: ${perr.slice(e0).join('\n')}`);
  if (!err) {
    const kind = c.stream ? 'sse' : 'json';
    if (c.stream && !sawStop) problems.push(`FALSE SUCCESS: SDK stream ended without its terminal event; content ${JSON.stringify(content)}`);
    else if (!up.state.wholes.some((w) => w.kind === kind && w.content === content)) problems.push(`FALSE SUCCESS: ${kind} content ${JSON.stringify(content)} not a whole answer sent (${JSON.stringify(up.state.wholes)})`);
  } else {
    if (err.status === undefined && !/APIConnection|APIUserAbort|Timeout|APIError|StreamInterrupted|AnthropicError|OpenAIError/.test(err.constructor?.name)) problems.push(`ODD ERROR: ${err.constructor?.name}: ${err.message}`);
    if (HB && c.method !== 'GET') { const p0 = c.plans[0][0]; if (!([400, 404, 413, 422].includes(err.status))) problems.push(`BACKUP: primary (${p0.status} ${p0.shape} ${p0.end}) failed and SDK threw ${err.constructor?.name} ${err.status ?? ''} ${err.message.slice(0, 120)}; backup asked ${reqs.some((r) => r.ep === N - 1)}`); }
  }
  if (reqs.length > 8) problems.push(`STORM: ${reqs.length} upstream requests`);
  await fetch.router?.close?.();
  for (const p of problems) bump(probs, p.replace(/\d{3,}/g, '#').slice(0, 90));
  return problems;
};

if (process.env.REPLAY) { console.log(await runCase(JSON.parse(process.env.REPLAY), { verbose: true })); await up.close(); process.exit(0); }
let n = 0; let fails = 0; const firstFails = [];
await fc.assert(fc.asyncProperty(caseArb(N, { streamyMode: !!process.env.STREAMY, healthyBackup: HB, get: !!process.env.GET }), async (c) => {
  n++; const problems = await runCase(c);
  if (problems.length) { fails++; const kind = problems[0].replace(/\d{3,}/g, '#').slice(0, 60); if (!firstFails.some((f) => f.kind === kind)) firstFails.push({ kind, problems, c }); }
}), { numRuns, seed, interruptAfterTimeLimit: Number(process.env.TIME_LIMIT ?? 600000) }).catch((e) => console.log('assert error', e.message.slice(0, 500)));
console.log(`SDK API=${API} N=${N} HB=${HB} STREAMY=${!!process.env.STREAMY} GET=${!!process.env.GET} seed=${seed}: cases ${n}, cases with problems ${fails}`);
console.log('outcomes:', JSON.stringify([...stats].sort((a, b) => b[1] - a[1])));
console.log('problem kinds (count):'); for (const [k, v] of [...probs].sort((a, b) => b[1] - a[1])) console.log(`  ${v}× ${k}`);
for (const f of firstFails) { console.log('--- first case of kind:', f.kind); console.log(f.problems.join('\n').slice(0, 1500)); console.log('CASE', JSON.stringify(f.c)); }
await new Promise((r) => setTimeout(r, 3000));
console.log('open upstream sockets after all cases:', up.state.openSockets.size);
await up.close(); process.exit(0);
