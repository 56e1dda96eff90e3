// Heap cap (an operator sizes --max-old-space-size to the container) against large bodies the defaults accept
// (maxBodyBytes 32 MiB, maxBodyBytesInFlight 128 MiB): K concurrent ~30 MiB JSON bodies. Refusals are fine; death is not.
import { startChaos, writeConfig, twoEndpointConfig, startGateway, healthz, sleep, exitOf, cleanup } from './lib.mjs';
const a = await startChaos('primary'); const b = await startChaos('backup');
const config = writeConfig(twoEndpointConfig(a.url, b.url));
const body = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'a'.repeat(30 * 1024 * 1024) }] });
for (const [heap, K] of [[64, 1], [64, 4], [128, 4], [256, 4]]) {
  const gw = await startGateway({ config, nodeFlags: [`--max-old-space-size=${heap}`] });
  let err = ''; gw.child.stderr.on('data', (c) => (err += c)); gw.child.stdout.on('data', () => {});
  const t0 = Date.now();
  const results = await Promise.all(Array.from({ length: K }, async () => {
    try { const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(60000) }); const t = await r.text(); return `${r.status}${r.status !== 200 ? ' ' + (t.match(/"code":"([^"]+)"/)?.[1] ?? t.slice(0, 80)) : ''}`; }
    catch (e) { return `ERR ${e.cause?.code ?? e.name}`; }
  }));
  await sleep(300);
  const ex = await exitOf(gw.child, 100);
  const counts = results.reduce((m, r) => ((m[r] = (m[r] ?? 0) + 1), m), {});
  console.log(`heap ${heap} MiB, ${K} x 30 MiB bodies: ${JSON.stringify(counts)} in ${Date.now() - t0} ms; gateway ${ex.code === 'still running' ? 'alive' : `DIED (${ex.signal ?? ex.code})`}${err.includes('heap out of memory') ? ': ' + err.match(/FATAL ERROR[^\n]*/)?.[0] : ''}`);
  gw.child.kill('SIGKILL');
  await sleep(300);
}
cleanup(); process.exit(0);
