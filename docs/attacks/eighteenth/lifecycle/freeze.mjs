// Serverless freeze/thaw: the worker process is SIGSTOPped between invocations, then SIGCONTed with the next one.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnUpstream } from './lib.mjs';
const FREEZE_S = Number(process.argv[2] ?? 45);
const A = await spawnUpstream('A', { script: [
  { when: { model: 'rl' }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs: 20000 } },
  { when: { model: 'slowfirst' }, fault: { type: 'slow-first-byte', delayMs: 1500 } },
] }, 400);
const B = await spawnUpstream('B', { script: [{ when: { model: 'slowfirst' }, fault: { type: 'slow-first-byte', delayMs: 1500 } }] }, 400);
const run = async (label, extra, steps) => {
  console.log(`=== ${label}`);
  const child = spawn('nice', ['-n', '19', process.execPath, 'freeze-child.mjs', A.url, B.url, JSON.stringify(extra)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const send = async (cmd) => { child.stdin.write(`${cmd}\n`); const { value } = await lines.next(); console.log(`  ${value}`); };
  for (const step of steps) {
    if (step === 'freeze') { process.kill(child.pid, 'SIGSTOP'); console.log(`  -- SIGSTOP for ${FREEZE_S} s --`); await new Promise((r) => setTimeout(r, FREEZE_S * 1000)); process.kill(child.pid, 'SIGCONT'); console.log('  -- SIGCONT, next invocation at once --'); }
    else if (step.startsWith('freeze-during ')) {
      child.stdin.write(`${step.slice(14)}\n`);
      await new Promise((r) => setTimeout(r, 200));
      process.kill(child.pid, 'SIGSTOP'); console.log(`  -- "${step.slice(14)}" sent, SIGSTOP 200 ms later for ${FREEZE_S} s --`);
      await new Promise((r) => setTimeout(r, FREEZE_S * 1000)); process.kill(child.pid, 'SIGCONT'); console.log('  -- SIGCONT --');
      const { value } = await lines.next(); console.log(`  ${value}`);
    } else await send(step);
  }
  child.kill();
};
await run('warm socket, idle freeze, then calls', {}, ['call ok', 'call ok', 'freeze', 'call ok', 'call ok', 'health']);
await run('cooldown (429, Retry-After 20 s) taken before the freeze', {}, ['call ok', 'call rl', 'health', 'freeze', 'health', 'call rl', 'call ok']);
await run('quota (a: rpm 3) spent before the freeze', {}, ['call ok', 'call ok', 'call ok', 'call ok', 'health', 'freeze', 'health', 'call ok']);
await run('in flight across the freeze (deadlineMs 20000)', { deadlineMs: 20000 }, ['call ok', 'freeze-during call slowfirst', 'call ok', 'health']);
A.kill(); B.kill();
process.exit(0);
