// Binary and non-JSON answers through createFetch with the openai SDK: audio.speech.create (audio bytes),
// files.content (raw file bytes, several labels), and sizes around maxResponseBytes (64 MiB). Compares the bytes
// the SDK gets with what the upstream sent, and the time to first byte of a slowly streamed audio answer.
import { randomBytes } from 'node:crypto';
import { load, fakeUpstream, sha, watchdog } from './lib.mjs';
watchdog(150000);
const { createFetch, OpenAI } = await load();

const KEY = 'sk-proj-Zq8Xv2Lm4Np6Rt0Wy3Bc5Df7';
const audio = randomBytes(5 * 1024 * 1024);
audio.write(KEY, 1000, 'latin1'); // the audio happens to contain the key's bytes (a binary could)
const bad = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
const jsonl = Buffer.from('{"custom_id":"1","response":{"status_code":200}}\n{"custom_id":"2","response":{"status_code":200}}\n');
const big = Buffer.alloc(70 * 1024 * 1024, 0x61);
let bigRequests = 0;
const handler = (rec, req, res) => {
  const u = rec.url;
  if (u.startsWith('/v1/audio/speech')) {
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'x-request-id': 'req_speech' });
    // first 64 KiB at once, the rest after 1.5 s (a TTS server streams as it synthesises)
    res.write(audio.subarray(0, 65536));
    return setTimeout(() => res.end(audio.subarray(65536)), 1500);
  }
  if (u === '/v1/files/file-octet/content') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(Buffer.concat([bad, audio.subarray(0, 1 << 20)])); }
  if (u === '/v1/files/file-text/content') { res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }); return res.end(Buffer.concat([jsonl, bad])); }
  if (u === '/v1/files/file-jsonl-labelled-json/content') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end(jsonl); }
  if (u === '/v1/files/file-big/content') { bigRequests++; res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': big.length }); return res.end(big); }
  res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"message":"no"}}');
};
const up = await fakeUpstream('up', handler);
const up2 = await fakeUpstream('up2', handler);
const fetch = createFetch({ endpoints: [
  { name: 'up', baseUrl: up.url, apiKey: KEY, priority: 0 },
  { name: 'up2', baseUrl: up2.url, apiKey: 'sk-proj-Other9Key8For7Up2x', priority: 1 },
] });
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const direct = new OpenAI({ apiKey: 'unused', maxRetries: 0, baseURL: up.url });

const get = async (label, fn, expected) => {
  for (const [via, c] of [['detour', client], ['direct', direct]]) {
    const t0 = performance.now();
    try {
      const res = await fn(c);
      const tHeaders = performance.now() - t0;
      const reader = res.body.getReader();
      const first = await reader.read();
      const tFirst = performance.now() - t0;
      const chunks = [first.value ?? new Uint8Array()];
      for (;;) { const { done, value } = await reader.read(); if (done) break; chunks.push(value); }
      const got = Buffer.concat(chunks);
      console.log(`${label} [${via}] status=${res.status} ct=${res.headers.get('content-type')} bytes=${got.length} sha=${sha(got)} identical=${got.equals(expected)} headersAt=${tHeaders.toFixed(0)}ms firstByteAt=${tFirst.toFixed(0)}ms x-request-id=${res.headers.get('x-request-id')} endpoint=${res.headers.get('x-detour-endpoint')}`);
      if (!got.equals(expected)) {
        let i = 0; while (i < got.length && got[i] === expected[i]) i++;
        console.log(`   first difference at byte ${i}: got ${JSON.stringify(got.subarray(i, i + 24).toString('latin1'))} expected ${JSON.stringify(expected.subarray(i, i + 24).toString('latin1'))}`);
      }
    } catch (e) { console.log(`${label} [${via}] ERROR ${e.status ?? ''} ${String(e.message).slice(0, 200)}`); }
  }
};
await get('audio.speech.create 5 MiB', (c) => c.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' }), audio);
await get('files.content octet-stream 1 MiB', (c) => c.files.content('file-octet'), Buffer.concat([bad, audio.subarray(0, 1 << 20)]));
await get('files.content text/plain jsonl + invalid UTF-8', (c) => c.files.content('file-text'), Buffer.concat([jsonl, bad]));
await get('files.content jsonl labelled application/json', (c) => c.files.content('file-jsonl-labelled-json'), jsonl);
bigRequests = 0;
await get('files.content 70 MiB octet-stream', (c) => c.files.content('file-big'), big);
console.log('requests per endpoint for the big file:', { up: up.log.filter((r) => r.url.includes('big')).length, up2: up2.log.filter((r) => r.url.includes('big')).length });
console.log('upstream downloads of the 70 MiB file (both endpoints, detour + direct):', bigRequests);
await fetch.router.close();
await Promise.all([up.close(), up2.close()]);
