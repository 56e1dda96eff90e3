// node load.mjs PORT SECONDS CONC MODEL [stream] -> per-second line: codes, p50/p99/max ms
const [port, secs, conc, model = 'm1', stream] = process.argv.slice(2);
const end = Date.now() + Number(secs) * 1000;
let bucket = { codes: {}, lat: [] }; const t0 = Date.now();
const flush = () => { const l = bucket.lat.sort((a, b) => a - b); const q = (p) => l[Math.min(l.length - 1, Math.floor(p * l.length))] ?? 0;
  console.log(`t=${((Date.now() - t0) / 1000).toFixed(0)}s n=${l.length} codes=${JSON.stringify(bucket.codes)} p50=${q(0.5)} p99=${q(0.99)} max=${l.at(-1) ?? 0}`); bucket = { codes: {}, lat: [] }; };
const iv = setInterval(flush, 1000);
const one = async () => { while (Date.now() < end) { const s = Date.now(); let code;
  try { const r = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', signal: AbortSignal.timeout(10000), headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: JSON.stringify({ model, stream: !!stream, messages: [{ role: 'user', content: 'PROMPT-SECRET-hello' }] }) }); await r.text(); code = r.status; } catch (e) { code = e.name; }
  bucket.codes[code] = (bucket.codes[code] ?? 0) + 1; bucket.lat.push(Date.now() - s); } };
await Promise.all(Array.from({ length: Number(conc) }, one)); clearInterval(iv); flush();
