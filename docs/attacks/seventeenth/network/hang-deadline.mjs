// TLS handshake that never completes, deadlineMs 1500 < connectTimeoutMs default 10000: bounded by the deadline?
import { node, startRaw, mkClient, ask, watch, brief, hardTimeout } from './lib.mjs';
hardTimeout(30000);
const hang = await startRaw(() => {});
const fetch = node.createFetch({ deadlineMs: 1500, endpoints: [{ name: 'hang', baseUrl: `https://127.0.0.1:${hang.port}/v1`, apiKey: 'k' }] }, { tracer: false });
const ev = watch(fetch.router);
console.log(JSON.stringify(await ask(mkClient(fetch), 'hang')));
for (const e of ev) console.log('   ', brief(e));
const t = Date.now(); await fetch.router.close(); console.log('close() took', Date.now() - t, 'ms');
hang.kill(); process.exit(0);
