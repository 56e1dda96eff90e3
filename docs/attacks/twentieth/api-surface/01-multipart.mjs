// Multipart uploads through createFetch with the openai SDK: transcriptions, files.create, images.edit.
// Endpoint A (priority 0) answers 503 to each upload, so every upload fails over to B. Checks the bytes each
// endpoint received against each other and against the original file, and against a direct (no Detour) baseline.
import { randomBytes } from 'node:crypto';
import { load, fakeUpstream, json, sha, summarize, parseMultipart, watchdog } from './lib.mjs';
watchdog(90000);
const { createFetch, OpenAI } = await load();
const { toFile } = await import(`${process.argv[2] ?? '/tmp/attack20b'}/packages/node/node_modules/openai/index.mjs`);

const answer = (rec, req, res) => {
  if (rec.url.includes('/audio/transcriptions')) return json(res, 200, { text: 'hello' });
  if (rec.url.includes('/files')) return json(res, 200, { id: 'file-1', object: 'file', bytes: rec.body.length, filename: 'x', purpose: 'batch', created_at: 1, status: 'processed' });
  if (rec.url.includes('/images/edits')) return json(res, 200, { created: 1, data: [{ b64_json: 'AAAA' }] });
  json(res, 404, { error: { message: 'nope' } });
};
const A = await fakeUpstream('A', (rec, req, res) => json(res, 503, { error: { message: 'overloaded', type: 'server_error' } }));
const B = await fakeUpstream('B', answer);
const D = await fakeUpstream('direct', answer);
const mk = () => createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
], breaker: { consecutiveFailures: 1000, minimumVolume: 1000 } });
let fetch;
const direct = new OpenAI({ apiKey: 'unused', maxRetries: 0, baseURL: D.url });

const size = 3 * 1024 * 1024 + 17;
const audio = randomBytes(size);
console.log('original file sha', sha(audio), 'bytes', size);

const check = (label, recA, recB, recD) => {
  const a = summarize(recA), b = summarize(recB), d = summarize(recD);
  console.log(label, { A: a, B: b, direct: d });
  console.log(label, 'A and B bodies identical:', recA.body.equals(recB.body), '; same content-type:', recA.headers['content-type'] === recB.headers['content-type']);
  const partsB = parseMultipart(recB.body, recB.headers['content-type']);
  const partsD = parseMultipart(recD.body, recD.headers['content-type']);
  if (!partsB) { console.log(label, 'B: body is not multipart per its content-type!'); return; }
  console.log(label, 'B parts:', partsB.map((p) => `${p.headers.replace(/\r\n/g, ' | ')} => ${p.data.length}B sha ${sha(p.data)}`));
  console.log(label, 'direct parts:', partsD.map((p) => `${p.headers.replace(/\r\n/g, ' | ')} => ${p.data.length}B sha ${sha(p.data)}`));
  console.log(label, 'B body length == direct body length:', recB.body.length === recD.body.length);
};

const fA = await toFile(audio, 'a.mp3', { type: 'audio/mpeg' }), fB = await toFile(audio, 'b.jsonl'), fC = await toFile(audio, 'i.png', { type: 'image/png' });
for (const [label, call] of [
  ['transcription', (c) => c.audio.transcriptions.create({ model: 'whisper-1', file: fA })],
  ['files.create', (c) => c.files.create({ purpose: 'batch', file: fB })],
  ['images.edit', (c) => c.images.edit({ model: 'gpt-image-1', prompt: 'x', image: fC })],
]) {
  const nA = A.log.length, nB = B.log.length, nD = D.log.length;
  let res;
  fetch = mk(); const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
  try {
    const { data, response } = await call(client).withResponse();
    res = { status: response.status, endpoint: response.headers.get('x-detour-endpoint'), attempts: response.headers.get('x-detour-attempts'), data: JSON.stringify(data).slice(0, 120) };
  } catch (e) { res = { error: String(e).slice(0, 300) }; }
  await call(direct);
  console.log(label, 'SDK result via Detour:', res, 'requests A', A.log.length - nA, 'B', B.log.length - nB);
  await fetch.router.close();
  check(label, A.log.at(-1), B.log.at(-1), D.log.at(-1));
}
await Promise.all([A.close(), B.close(), D.close()]);
