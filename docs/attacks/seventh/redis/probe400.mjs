import { startUpstream, startGateway, gwConfig, chat, watchdog, closeServer } from './lib.mjs';
watchdog(30000);
const up = await startUpstream({ name: 'up' });
const g = await startGateway({ config: gwConfig([{ name: 'up', baseUrl: up.url }]), tag: 'p4' });
for (const len of [100, 256, 257, 1000, 4096]) { const r = await chat(g.url, 'm' + 'x'.repeat(len - 1)); console.log(len, r.status, r.text.slice(0, 200)); }
g.stop(); closeServer(up); process.exit(0);
