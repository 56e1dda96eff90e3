import { startUpstream, startGateway, chat } from './lib.mjs';
const up = await startUpstream((n) => n === 1 ? { 'x-ratelimit-limit-requests': process.argv[2], 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' } : {});
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'] });
await chat(gw); const r = await chat(gw); console.log('limit', process.argv[2], r.status, r.ra, r.ms + 'ms', r.body.slice(0, 120));
const res = await fetch(gw.url + '/metrics', { headers: { authorization: 'Bearer gk' } }); const m = await res.text();
console.log(res.status, m.split('\n').filter(l => /admission|cooldown|queue_wait_seconds_count/.test(l) && !l.startsWith('#')).join('\n'));
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
