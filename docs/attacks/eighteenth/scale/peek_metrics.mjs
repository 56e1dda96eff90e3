import { startProc, stop, writeConfig, endpointsFor, CLI, CHAOS } from './gwlib.mjs';
const up = await startProc([CHAOS, '--port', '0', '--name', 'up']);
const file = writeConfig('peek', { endpoints: endpointsFor(3, up.url + '/v1'), gatewayKeys: ['gk-test-aaaaaaaaaaaa'] });
const gw = await startProc([CLI, '--config', file, '--port', '0']);
for (let i = 0; i < 6; i++) await (await fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk-test-aaaaaaaaaaaa', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) })).text();
const t = await (await fetch(gw.url + '/metrics')).text();
const fam = {};
for (const l of t.split('\n')) { if (!l || l.startsWith('#')) continue; const name = l.split(/[{ ]/)[0]; const ep = /endpoint="ep-0000"/.test(l); fam[name] ??= [0, 0]; fam[name][0]++; if (ep) fam[name][1]++; }
console.log(Object.entries(fam).filter(([, v]) => v[1] > 0).map(([k, v]) => `${k}: total ${v[0]}, for ep-0000 ${v[1]}`).join('\n'));
console.log(t.split('\n').filter(l=>/ep-0000/.test(l)).slice(0,80).join('\n'));
await stop(gw); await stop(up);
