// limit 0 / remaining 0 / reset 1s: plan says admissible in 1 s (< maxQueueMs 10 s), yet refused at once
import { startUpstream, startGateway, chat } from './lib.mjs';
const up = await startUpstream((n) => n === 1 ? { 'x-ratelimit-limit-requests': '0', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': process.argv[2] || '1s' } : {});
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk' }], gatewayKeys: ['gk'] });
console.log(await chat(gw)); console.log(await chat(gw));
const m = await (await fetch(gw.url + '/metrics', { headers: { authorization: 'Bearer gk' } })).text();
console.log(m.split('\n').filter(l => /refused|delayed/.test(l) && !l.startsWith('#')).join('\n'));
await new Promise(r => setTimeout(r, 1200)); console.log('after 1.2s', await chat(gw));
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
