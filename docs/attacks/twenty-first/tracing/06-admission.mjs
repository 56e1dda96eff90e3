// 06: admission queue wait and refusal: request span's detour.queue.wait_ms / detour.admission.refused, status,
// duration, and attempt spans vs upstream hits. Endpoint limited to argv[2] rpm (2, then 60).
import { detour, OpenAI, setupOtel, upstream, ok, summarize, sleep, withTimeout } from './lib.mjs';
const { exporter, provider } = setupOtel();
const A = await upstream('A', (q, r, n, b) => ok(r, b.model));
const f = detour.createFetch({ endpoints: [{ name: 'A', baseUrl: A.baseUrl, apiKey: 'sk-a', limits: { rpm: Number(process.argv[2] ?? 2) } }], admission: { maxQueueMs: 4000, maxQueueLength: 2 } });
const ends = []; const t0 = Date.now(); f.router.subscribe((e) => ['request-end', 'admission-queue', 'admission-dequeue', 'admission-refuse'].includes(e.type) && ends.push(`${e.type}${e.reason ? ':' + e.reason : ''}${e.exit ? ':' + e.exit : ''}${e.code ? ':' + e.code : ''}${e.waitedMs !== undefined ? ' waited=' + e.waitedMs : ''}@${Date.now() - t0}`));
const client = new OpenAI({ apiKey: 'x', maxRetries: 0, fetch: f, baseURL: 'http://detour.invalid/v1' });
const res = await Promise.all(Array.from({ length: 6 }, async (_, i) => { await sleep(i * 20); const s = Date.now(); try { await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }); return `#${i} ok after ${Date.now() - s}ms`; } catch (e) { return `#${i} ERR ${e.status} ${e.message.slice(0, 80)} after ${Date.now() - s}ms`; } }));
await sleep(300);
console.log(res.join('\n'));
console.log('events', ends.join(' | '));
console.log(`upstream hits ${A.hits.length}`);
for (const s of summarize(exporter.getFinishedSpans())) console.log(JSON.stringify({ name: s.name, kind: s.kind, status: s.status, durMs: s.durMs, attrs: Object.fromEntries(Object.entries(s.attrs).filter(([k]) => /detour\.(queue|admission|attempts|outcome|endpoint)|error|status_code/.test(k))) }));
await withTimeout(f.router.close(), 3000, 'close').catch(() => {}); await A.close(); await provider.shutdown();
