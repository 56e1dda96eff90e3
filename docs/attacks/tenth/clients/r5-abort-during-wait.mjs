// createFetch: caller aborts while Detour is waiting between attempts (429 with Retry-After). Is the fetch rejected at once?
import { createFetch } from '/tmp/attack10b/repo/packages/node/dist/index.js';
import { upstream, sleep, now } from './lib.mjs';
const RA = process.env.RA ?? '5';
const up = await upstream(async (req, res) => { res.writeHead(429, { 'retry-after': RA, 'content-type': 'application/json' }); res.end('{"error":{"message":"slow down","type":"rate_limit","code":"rate_limit_exceeded"}}'); });
const up2 = await upstream(async (req, res) => { res.writeHead(429, { 'retry-after': RA, 'content-type': 'application/json' }); res.end('{"error":{"message":"slow down","type":"rate_limit","code":"rate_limit_exceeded"}}'); });
const eps = [{ name: 'a', baseUrl: up.url, apiKey: 'k' }];
if (process.env.TWO) eps.push({ name: 'b', baseUrl: up2.url, apiKey: 'k' });
const fetch = createFetch({ endpoints: eps, ...(process.env.PREFER ? { preferWaitMs: 20000 } : {}) });
const t0 = now();
fetch.router.subscribe((ev) => console.log(`  @${Math.round(now() - t0)} event ${ev.type}`, ev.type === 'retry-wait' ? JSON.stringify(ev).slice(0, 200) : ''));
const ac = new AbortController(); setTimeout(() => { console.log(`  @${Math.round(now() - t0)} ABORT`); ac.abort(); }, Number(process.env.ABORT_AT ?? 1000));
try {
  const r = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', signal: ac.signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) });
  console.log('RESOLVED status', r.status, 'after', Math.round(now() - t0), 'ms; signal.aborted =', ac.signal.aborted, (await r.text()).slice(0, 200));
} catch (e) { console.log('rejected', e.name, 'after', Math.round(now() - t0), 'ms'); }
console.log('upstream hits', up.log.length, up2.log.length);
up.close(); up2.close(); process.exit(0);
