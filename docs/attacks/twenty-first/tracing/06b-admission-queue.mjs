// 06b: an admission-queue wait: the upstream says 0 requests remain (limit 60/min, reset 1s), so the next requests
// queue for quota. Does the request span carry detour.queue.wait_ms, and its duration include the wait?
import { detour, OpenAI, setupOtel, upstream, summarize, sleep, withTimeout, chatJson } from './lib.mjs';
const { exporter, provider } = setupOtel();
const A = await upstream('A', (q, r, n, b) => { r.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' }); r.end(chatJson(b.model)); });
const f = detour.createFetch({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a' }], admission: { maxQueueMs: 5000 } });
const ev = []; const t0 = Date.now(); f.router.subscribe((e) => ['request-end', 'admission-queue', 'admission-dequeue', 'admission-refuse'].includes(e.type) && ev.push(`${e.type}${e.exit ? ':' + e.exit : ''}${e.reason ? ':' + e.reason : ''}${e.waitedMs !== undefined ? ' waited=' + e.waitedMs : ''}${e.durationMs !== undefined ? ' dur=' + e.durationMs : ''}@${Date.now() - t0}`));
const client = new OpenAI({ apiKey: 'x', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
const call = async (i) => { const s = Date.now(); try { await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }); return `#${i} ok after ${Date.now() - s}ms`; } catch (e) { return `#${i} ERR ${e.status} ${e.message.slice(0, 90)} after ${Date.now() - s}ms`; } };
const res = [await call(0), ...(await Promise.all([1, 2, 3].map(call)))];
await sleep(200);
console.log(res.join('\n')); console.log('events', ev.join(' | ')); console.log(`upstream hits ${A.hits.length}`);
for (const s of summarize(exporter.getFinishedSpans()).filter((s) => s.kind === 'INTERNAL')) console.log(JSON.stringify({ status: s.status, durMs: s.durMs, attrs: Object.fromEntries(Object.entries(s.attrs).filter(([k]) => /detour\.(queue|admission|attempts|outcome|first)|error/.test(k))) }));
await withTimeout(f.router.close(), 3000, 'close').catch(() => {}); await A.close(); await provider.shutdown();
