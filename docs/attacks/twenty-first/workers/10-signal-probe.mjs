// Does request.signal abort inside workerd (miniflare) when the caller leaves? Both via mf.ready's URL and via dispatchFetch.
import { edgeInWorkerd, watchdog } from './lib.mjs';
watchdog(60000);
for (const flags of [['nodejs_compat', 'enable_request_signal']]) {
  const w = await edgeInWorkerd(new URL('./signal-probe-worker.mjs', import.meta.url).pathname);
  const ac = new AbortController(); setTimeout(() => ac.abort(), 1000);
  await fetch(`${w.url}/x`, { signal: ac.signal }).catch((e) => {});
  await new Promise((r) => setTimeout(r, 6000));
  console.log('via HTTP:', await (await fetch(`${w.url}/log`)).text());
  await w.close();
}
process.exit(0);
