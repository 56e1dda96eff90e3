// Access log to a pipe whose reader never reads (`| sleep`): the gateway keeps serving, so where do the lines go?
// Compare the gateway's RSS with a reader that reads (control) and one that stops (paused), same load.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, chat, sleep, cleanup } from './lib.mjs';
import { readFileSync } from 'node:fs';
const rss = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
const a = await startChaos('primary'); const b = await startChaos('backup');
const config = writeConfig(twoEndpointConfig(a.url, b.url));
// a long model name makes each access-log line bigger (the route has a long path), so growth shows faster
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
async function run(label, paused) {
  const gw = await startGateway({ config, args: ['--access-log'] });
  let read = 0;
  if (paused) gw.child.stdout.pause(); else gw.child.stdout.on('data', (c) => (read += c.length));
  const pid = gw.child.pid;
  await sleep(300);
  const before = rss(pid);
  let n = 0; const t0 = Date.now();
  // ~20 concurrent callers, 15 s, long URL path so lines are ~1 KiB (path is logged without the query)
  const longPath = '/v1/chat/completions';
  const worker = async () => { while (Date.now() - t0 < 15000) { const r = await chat(gw.url, { body }); if (r.status === 200) n++; } };
  await Promise.all(Array.from({ length: 20 }, worker));
  const after = rss(pid);
  // 404 route lines are logged too and carry the whole path: a caller controls the line length
  console.log(`${label}: ${n} requests in 15 s; gateway RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB; bytes the reader got: ${read}`);
  gw.child.kill('SIGKILL');
}
await run('reader reads (control)', false);
await run('reader paused', true);
cleanup(); process.exit(0);
