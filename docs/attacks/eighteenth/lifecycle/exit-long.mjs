// The abandoned-stream cases, given up to 330 s to exit, with the resources alive 1 s after DONE.
import { spawnUpstream, timeExit } from './lib.mjs';
const A = await spawnUpstream('A', { completionTokens: 40, script: [
  { when: { model: 'slow' }, fault: { type: 'slow-body', chunkDelayMs: 300 } },
  { when: { model: 'stall' }, fault: { type: 'stall', afterTokens: 2 } },
] }, 400);
const B = A;
const scenarios = process.argv.slice(2);
await Promise.all(scenarios.map(async (s) => {
  const r = await timeExit('exit-child.mjs', [s, A.url, B.url], 330000);
  console.log(`${s.padEnd(20)} exit after DONE: ${r.afterDoneMs ?? '-'} ms (code ${r.code}${r.signal ? ' ' + r.signal : ''})\n  ${r.out.split('\n').join('\n  ')}${r.err ? '\n  stderr: ' + r.err.slice(0, 400) : ''}`);
}));
A.kill();
