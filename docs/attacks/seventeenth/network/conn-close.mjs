import { node, mkClient, ask, watch, brief, hardTimeout } from './lib.mjs';
import { startRawHttp } from './rawhttp.mjs';
hardTimeout(60000);
for (const mode of ['connectionClose', 'http10', 'http10-tls']) {
  const up = await startRawHttp({ tag: mode, idleCloseMs: 60000, connectionClose: mode === 'connectionClose', http10: mode.startsWith('http10'), tlsCert: mode.endsWith('tls') ? 'good' : undefined });
  const fetch = node.createFetch({ endpoints: [{ name: 'u', baseUrl: `${mode.endsWith('tls') ? 'https://localhost' : 'http://127.0.0.1'}:${up.port}/v1`, apiKey: 'k' }] }, { tracer: false });
  const ev = watch(fetch.router); const client = mkClient(fetch);
  const seq = []; for (let i = 0; i < 10; i++) seq.push(await ask(client, 's'));
  const par = await Promise.all(Array.from({ length: 20 }, () => ask(client, 'p')));
  const fails = ev.filter((e) => e.type === 'attempt-end' && e.kind !== 'success');
  console.log(`${mode}: seq ok ${seq.filter((r) => r.ok).length}/10, parallel ok ${par.filter((r) => r.ok).length}/20, failed attempts ${fails.length} ${[...new Set(fails.map((e) => e.reason))]}; upstream conns=${up.stats.conns} reqs=${up.stats.requests}`);
  for (const r of [...seq, ...par].filter((r) => !r.ok).slice(0, 2)) console.log('  ', r.message);
  await fetch.router.close(); up.close();
}
process.exit(0);
