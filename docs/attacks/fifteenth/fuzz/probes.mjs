// Targeted scenarios (primary misbehaves, healthy backup e1) through the gateway: node probes.mjs messages|responses [gw|sdk]
import { P } from './mini.mjs';
const { spawnSync } = await import('node:child_process');
const api = process.argv[2] ?? 'messages'; const via = process.argv[3] ?? 'gw';
const H = (stream) => P(stream ? { shape: 'sse', ctype: 'text/event-stream', framing: 'chunked' } : {});
const S = (o) => P({ shape: 'sse', ctype: 'text/event-stream', framing: 'chunked', ...o });
const sc = {
  noStart: [true, S({ noStart: true })],
  noStop: [true, S({ noFinish: true })],
  noStopClose: [true, S({ noFinish: true, end: 'close' })],
  swapStartAndBlock: [true, S({ swapAt: 0 })],
  swapLastTwo: [true, S({ swapAt: 9 })],
  dupDelta: [true, S({ dupAt: 4 })],
  dupStart: [true, S({ dupAt: 0 })],
  dupStop: [true, S({ dupAt: 99 })],
  errEvFirst: [true, S({ errorAt: 0 })],
  errEvMid: [true, S({ errorAt: 5 })],
  errEvAfterStop: [true, S({ errorAt: 99 })],
  pingOnlyClose: [true, S({ pingOnly: true, end: 'close' })],
  pingOnlyStall: [true, S({ pingOnly: true, end: 'stall', stallMs: 5000 })],
  crlfByteSplit: [true, S({ crlf: true, byteSplit: true })],
  resetMid: [true, S({ end: 'reset-mid', frac: 0.5 })],
  closeMid: [true, S({ end: 'close-mid', frac: 0.5, splits: [0.2, 0.4, 0.6, 0.8] })],
  respFailed: [true, S({ respTerm: 'failed' })],
  respIncomplete: [true, S({ respTerm: 'incomplete' })],
  respComplFailed: [true, S({ respTerm: 'completedButFailed' })],
  jsonIncomplete: [false, P({ respTerm: 'incomplete' })],
  jsonFailed: [false, P({ respTerm: 'failed' })],
  antErr200: [false, P({ shape: 'antError', etype: 'overloaded_error', echoKey: true })],
  antErr200api: [false, P({ shape: 'antError', etype: 'api_error', echoKey: true })],
  oaiErr200: [false, P({ shape: 'oaiError', etype: 'server_error', echoKey: true })],
  antErr200sse: [true, P({ shape: 'antError', etype: 'overloaded_error', ctype: 'text/event-stream' })],
  wrong200: [false, P({ shape: 'jsonWrong' })],
  trunc200: [false, P({ shape: 'jsonTrunc', framing: 'none' })],
  trunc200cl: [false, P({ shape: 'jsonTrunc' })],
  json200asText: [false, P({ ctype: 'text/plain' })],
  json200noCtype: [false, P({ ctype: undefined })],
  sse200asJsonCtype: [true, S({ ctype: 'application/json' })],
  json200forStream: [true, P({})],
  s529: [false, P({ status: 529, shape: 'antError', etype: 'overloaded_error' })],
  s429garbage: [false, P({ status: 429, shape: 'antError', etype: 'rate_limit_error', extraHeaders: [['retry-after', 'soon'], ['anthropic-ratelimit-requests-reset', 'garbage']] })],
  s429future: [false, P({ status: 429, shape: 'antError', etype: 'rate_limit_error', extraHeaders: [['anthropic-ratelimit-requests-reset', '2999-01-01T00:00:00Z'], ['anthropic-ratelimit-requests-remaining', '0']] })],
  stall: [false, P({ end: 'stall', stallMs: 5000, splits: [0.5], framing: 'chunked' })],
  usageNeg: [false, P({ usage: 'neg' })],
  usageHuge: [false, P({ usage: 'huge' })],
  usageBig: [false, P({ usage: 'big' })],
  usageStr: [false, P({ usage: 'str' })],
  usageNegSse: [true, S({ usage: 'neg' })],
  usageHugeSse: [true, S({ usage: 'huge' })],
  usageBigSse: [true, S({ usage: 'big' })],
  gzipLie: [false, P({ encoding: 'gzip-lie' })],
  clShortSse: [true, S({ framing: 'cl-short' })],
};
const only = process.argv[4];
for (const [name, [stream, p]] of Object.entries(sc)) {
  if (only && !name.includes(only)) continue;
  const c = { stream, method: 'POST', plans: [[p], [H(stream)]] };
  const r = spawnSync('node', [via === 'sdk' ? 'fuzz-sdk15.mjs' : 'fuzz-gw15.mjs'], { env: { ...process.env, API: api, HB: '1', REPLAY: JSON.stringify(c) }, encoding: 'utf8', timeout: 30000 });
  const out = r.stdout ?? ''; const pr = out.slice(out.lastIndexOf('\n[')).replace(/\s+/g, ' ');
  const status = /"status": (\d+)/.exec(out)?.[1]; const cost = /"x-detour-cost-usd": "([^"]*)"/.exec(out)?.[1]; const reqs = /"reqs": \[([^\]]*)\]/.exec(out)?.[1]?.replace(/\s+/g, ' ');
  const res = via === 'sdk' ? (/"result": "([^"]*)"/.exec(out)?.[1] ?? /"name": "([^"]*)"/.exec(out)?.[1]) : '';
  console.log(`${api} ${via} ${name}: status=${status} ${res ?? ''} cost=${cost} reqs=[${reqs}] problems=${pr.slice(0, 400)}`);
}
