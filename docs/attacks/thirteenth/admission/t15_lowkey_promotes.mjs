// one key floods the NORMAL class: another key's normal request is refused (no per-key fairness)
import { startUpstream, startGateway, chat } from './lib.mjs';
const up = await startUpstream(() => ({}));
const gw = await startGateway({ endpoints: [{ name: 'a', baseUrl: up.url, apiKey: 'sk', limits: { rpm: 60 } }], gatewayKeys: ['gk', { key: 'flood', priority: 'low' }] });
const ac = new AbortController();
const ps = []; for (let i = 0; i < 300; i++) ps.push(chat(gw, { key: 'flood', signal: ac.signal, headers: { 'x-detour-priority': 'high' } }));
await new Promise(r => setTimeout(r, 1000));
const v = []; for (let i = 0; i < 5; i++) { v.push(await chat(gw, { key: 'gk', headers: { 'x-detour-priority': 'high' } })); await new Promise(r => setTimeout(r, 200)); }
console.log('victim (other key, high; flooder is a priority:low key sending x-detour-priority: high):', v.map(r => `${r.status}/ra=${r.ra}/${r.ms}ms`).join(' '));
ac.abort(); await Promise.all(ps);
gw.p.kill('SIGTERM'); up.srv.close(); up.srv.closeAllConnections(); process.exit(0);
