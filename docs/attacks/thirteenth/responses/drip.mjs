// Repro: upstream drips a complete, valid Responses stream in small writes; check what the caller receives.
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const step = Number(process.argv[2] ?? 50), gap = Number(process.argv[3] ?? 2);
const all = events('resp_A').join('');
const A = await start((req, r) => { sse(r); let i = 0; const t = setInterval(() => { if (i >= all.length) { clearInterval(t); r.end(); return; } r.write(all.slice(i, i + step)); i += step; }, gap); });
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai' }] });
const res = await fetch('http://x/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', stream: true }) });
let got = ''; let err;
try { for await (const c of res.body) got += Buffer.from(c).toString(); } catch (e) { err = e; }
console.log('sent', all.length, 'received', got.length, 'identical', got === all, 'err', err?.message);
if (got !== all) { let k = 0; while (got[k] === all[k]) k++; console.log('first diff at', k, JSON.stringify(got.slice(k - 20, k + 80)), '\nvs', JSON.stringify(all.slice(k - 20, k + 80))); }
A.srv.close(); process.exit(0);
