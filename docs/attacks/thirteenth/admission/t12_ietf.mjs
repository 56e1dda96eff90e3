// IETF RateLimit r=0;t=2 without RateLimit-Policy on a 200: refused 503 at once (model cooldown) instead of queued ~2 s
import { startUpstream, startGateway, chat } from './lib.mjs';
const up = await startUpstream((n) => n === 1 ? { ratelimit: '"default";r=0;t=2' } : {});
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'] });
await chat(gw); const r = await chat(gw); console.log('2nd request:', r.status, 'retry-after', r.ra, r.ms + 'ms', r.body.slice(0, 110));
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
