// The memory workload's client: opens `count` slow streams at once through one subject, waits until all of them
// are flowing (a first body byte arrived) or `holdMs` passes, reports how many flowed, then hangs up on all of them.
// The bench reads the subject's peak RSS (VmHWM) while they are open.
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const { origin, path, headers, body, count, holdMs } = JSON.parse(process.argv[2]);
const pool = new Pool(origin, { connections: count, headersTimeout: 0, bodyTimeout: 0 });
const payload = Buffer.from(JSON.stringify(body));
const abort = new AbortController();
let flowing = 0;
let failed = 0;
let allFlowing;
const everyoneFlows = new Promise((resolve) => (allFlowing = resolve));
const started = performance.now();

for (let index = 0; index < count; index += 1) {
  pool
    .request({ path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload, signal: abort.signal })
    .then(async (response) => {
      let first = true;
      for await (const _chunk of response.body) {
        if (first) {
          first = false;
          flowing += 1;
          if (flowing === count) allFlowing();
        }
      }
    })
    .catch(() => {
      if (!abort.signal.aborted) failed += 1;
    });
}

await Promise.race([everyoneFlows, new Promise((resolve) => setTimeout(resolve, holdMs))]);
const allFlowingAfterMs = flowing === count ? performance.now() - started : null;
// Let the subject settle with every stream open, so its peak is the steady cost of holding them.
await new Promise((resolve) => setTimeout(resolve, 500));
// Streams are still open here: the bench samples RSS now, then tells this process to hang up.
process.stdout.write(`${JSON.stringify({ event: 'holding', flowing, failed, count, allFlowingAfterMs })}\n`);
await new Promise((resolve) => process.once('message', resolve));
abort.abort();
await pool.destroy().catch(() => {});
process.stdout.write(`${JSON.stringify({ event: 'done', flowing, failed, count, allFlowingAfterMs })}\n`);
process.exit(0);
