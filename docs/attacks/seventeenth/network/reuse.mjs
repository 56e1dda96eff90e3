// Are sockets reused for sequential requests (HTTPS: a handshake per request would cost a round trip or two per call)?
import { node, startHttps, startHttp, mkClient, ask, hardTimeout } from './lib.mjs';
hardTimeout(60000);
for (const [label, agent, tls, gap] of [['unlimited http', {}, false, 0], ['connections=2 http', { connections: 2 }, false, 0], ['unlimited https', {}, true, 0], ['connections=2 https', { connections: 2 }, true, 0], ['unlimited https gap 3.5s', {}, true, 3500]]) {
  const st = {}; const up = tls ? await startHttps('good', 'x', st) : await startHttp('x', st);
  const fetch = node.createFetch({ agent, endpoints: [{ name: 'u', baseUrl: `${tls ? 'https://localhost' : 'http://127.0.0.1'}:${up.port}/v1`, apiKey: 'k' }] }, { tracer: false });
  const client = mkClient(fetch);
  for (let i = 0; i < 4; i++) { if (gap) await new Promise((r) => setTimeout(r, gap)); await ask(client, 's'); }
  console.log(`${label}: 4 sequential requests -> ${st.conns} connections`);
  await fetch.router.close(); up.srv.close();
}
process.exit(0);
