// Binary answers through @detour/edge's createFetch inside workerd (openai SDK): speech dripped by the provider
// (first byte time vs whole), files.content of 1 KiB..40 MiB (byte-identical by FNV-1a), cuts mid-body (content-length
// short, chunked without its end, reset), a 404 JSON on a binary route, a silent body after headers.
import { edgeInWorkerd, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(300000);
const fnv = (buf) => { let s = 0x811c9dc5; for (let i = 0; i < buf.length; i++) s = Math.imul(s ^ buf[i], 16777619) >>> 0; return s.toString(16); };
const gen = (n, seed = 3) => { const a = Buffer.alloc(n); let x = seed; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; a[i] = x >> 16; } return a; };
let mode = 'drip'; let size = 1024;
const A = await fakeUpstream('A', (rec, rq, res) => {
  if (mode === 'drip') { // speech: 20 chunks of 4 KiB, 50 ms apart
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'transfer-encoding': 'chunked' });
    let i = 0; const buf = gen(4096);
    const t = setInterval(() => { res.write(buf); if (++i === 20) { clearInterval(t); res.end(); } }, 50); return;
  }
  const body = gen(size);
  if (mode === 'whole') { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }); return res.end(body); }
  if (mode === 'short') { res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }); res.write(body.subarray(0, body.length >> 1)); return setTimeout(() => rq.socket.destroy(), 100); }
  if (mode === 'chunked-cut') { res.writeHead(200, { 'content-type': 'audio/mpeg' }); res.write(body.subarray(0, body.length >> 1)); return setTimeout(() => rq.socket.end(), 100); }
  if (mode === 'silent') { res.writeHead(200, { 'content-type': 'audio/mpeg' }); res.write(body.subarray(0, 10)); return; /* then nothing */ }
  if (mode === '404') return json(res, 404, { error: { message: 'No such File object: file-abc', type: 'invalid_request_error', code: null } });
});
const w = await edgeInWorkerd(new URL('./edge-worker.mjs', import.meta.url).pathname);
const endpoints = [{ name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa' }];
const run = async (label, m, call, n, options = {}) => {
  mode = m; size = n ?? size;
  const t0 = Date.now();
  const r = await (await fetch(`${w.url}/run`, { method: 'POST', body: JSON.stringify({ endpoints, options, call }) })).json();
  const expect = m === 'drip' ? fnv(Buffer.concat(Array(20).fill(gen(4096)))) : fnv(gen(size));
  console.log(`[${label}] ${JSON.stringify(r)}${r.ok ? (r.fnv === expect ? ' BYTE-IDENTICAL' : ` <== BYTES DIFFER (expected fnv ${expect})`) : ''} (${Date.now() - t0} ms)`);
};
await run('speech dripped 20x4 KiB over 1 s', 'drip', 'audio.speech');
for (const n of [1024, 1 << 20, 40 << 20]) await run(`files.content ${n} B`, 'whole', 'files.content', n);
await run('files.content 8 MiB, content-length short by half then reset', 'short', 'files.content', 8 << 20);
await run('files.content 8 MiB, chunked, closed without the last chunk', 'chunked-cut', 'files.content', 8 << 20);
await run('speech: 10 bytes then silence, bodyIdleTimeoutMs 1000, deadlineMs 4000', 'silent', 'audio.speech', 100, { bodyIdleTimeoutMs: 1000, deadlineMs: 4000 });
await run('files.content 404 JSON', '404', 'files.content');
await w.close(); await A.close();
process.exit(0);
