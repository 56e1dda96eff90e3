// How long a short script lives after its last await, per scenario. Upstreams run in other processes.
import { spawnUpstream, timeExit } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 40, script: [
  { when: { model: 'fail' }, fault: { type: 'status', status: 500 } },
  { when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 300 } },
  { when: { model: 'hang' }, fault: { type: 'hang' } },
  { when: { model: 'stall' }, fault: { type: 'stall', afterTokens: 2 } },
  { when: { model: 'rl' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20000 } },
] });
const B = await spawnUpstream('B', { completionTokens: 40, script: [
  { when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 300 } },
  { when: { model: 'stall' }, fault: { type: 'stall', afterTokens: 2 } },
] });
const only = process.argv.slice(2);
const scenarios = only.length ? only : ['json-ok', 'json-fail-all', 'json-429-failover', 'json-deadline', 'stream-full', 'stream-full-close', 'stream-break', 'plain-stream-break', 'stream-unread', 'plain-stream-unread', 'raw-stream-unread', 'stream-stall-unread', 'after-close', 'admission'];
for (const s of scenarios) {
  const r = await timeExit('exit-child.mjs', [s, A.url, B.url], 45000);
  console.log(`${s.padEnd(20)} exit after DONE: ${r.afterDoneMs ?? '-'} ms (code ${r.code}${r.signal ? ' ' + r.signal : ''}) | ${r.out.split('\n').pop()}${r.err ? ' | stderr: ' + r.err.slice(0, 300).replace(/\n/g, ' / ') : ''}`);
}
A.kill(); B.kill();
