import { upstream, okChat, gateway, chat, admin } from './lib.mjs';
const u = await upstream(okChat);
const gw = await gateway([u]);
const r = await chat(gw, 'gpt-4.1-mini');
console.log(r.status, [...r.headers], await r.text());
console.log((await (await admin(gw, '/admin/costs')).text()).slice(0, 400));
console.log(gw.logs);
await gw.close(100); await u.close();
