// Server delays far off: Retry-After of ten years (seconds and HTTP-date), x-ratelimit-reset epoch seconds ten years
// ahead, a reset in the past. What cooldown does /healthz show, and what Retry-After does a caller get?
import { upstream, gateway, chat, okChat } from './lib.mjs';
const tenYears = 10 * 365 * 86400;
const cases = {
  'retry-after 10y (s)': { 'retry-after': String(tenYears) },
  'retry-after 10y (date)': { 'retry-after': new Date(Date.now() + tenYears * 1000).toUTCString() },
  'x-ratelimit-reset epoch+10y': { 'x-ratelimit-reset-requests': String(Math.floor(Date.now() / 1000) + tenYears), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-limit-requests': '10' },
  'retry-after-ms 1e15': { 'retry-after-ms': '1000000000000000' },
  'retry-after past date': { 'retry-after': new Date(Date.now() - tenYears * 1000).toUTCString() },
};
for (const [name, headers] of Object.entries(cases)) {
  let n = 0;
  const a = await upstream((req, body, res) => { n++; if (n === 1) { res.writeHead(429, { 'content-type': 'application/json', ...headers }); return res.end('{"error":{"message":"slow","type":"requests","code":"rate_limit_exceeded"}}'); } okChat(req, body, res); });
  const gw = await gateway([a]);
  const r1 = await chat(gw, 'gpt-4.1'); await r1.text();
  const r2 = await chat(gw, 'gpt-4.1'); await r2.text();
  const h = await (await fetch(gw.url + '/healthz')).json();
  const e = h.endpoints[0];
  const cool = Math.max(e.cooldownUntil ?? 0, e.disabledUntil ?? 0, ...Object.values(e.modelCooldowns ?? {}));
  console.log(`${name}: first ${r1.status} retry-after ${r1.headers.get('retry-after')}; second ${r2.status} retry-after ${r2.headers.get('retry-after')}; healthz cooling ${Math.max(0, Math.round((cool - Date.now()) / 1000))} s`);
  await gw.close(0); await a.close();
}
process.exit(0);
