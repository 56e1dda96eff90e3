// files.content (a route Detour says it does not police: "parsed only when labelled JSON") with JSON Lines content
// under the media types JSONL servers use, and a user's JSON file whose content happens to be an error envelope.
// run-attempt.ts: `jsonType = /json/i` also matches application/jsonl, application/x-ndjson, application/json-seq.
import { load, fakeUpstream, watchdog } from './lib.mjs';
watchdog(60000);
const { createFetch, OpenAI } = await load();

const jsonl = '{"id":"batch_req_1","custom_id":"r1","response":{"status_code":200,"body":{}},"error":null}\n{"id":"batch_req_2","custom_id":"r2","response":{"status_code":200,"body":{}},"error":null}\n';
const files = {
  'file-jsonl': ['application/jsonl', jsonl],
  'file-ndjson': ['application/x-ndjson', jsonl],
  'file-jsonlines': ['application/jsonlines', jsonl],
  'file-json-seq': ['application/json-seq', jsonl],
  'file-octet': ['application/octet-stream', jsonl],
  'file-users-json': ['application/json', '{"error":{"message":"user data: the error field of my own document","code":500}}'],
};
const handler = (rec, req, res) => {
  const id = rec.url.split('/')[3];
  const [ct, body] = files[id];
  res.writeHead(200, { 'content-type': ct });
  res.end(body);
};
const A = await fakeUpstream('A', handler);
const B = await fakeUpstream('B', handler);
const fetch = createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'sk-bbbbbbbbbbbbbbbbbbbbbbbb', priority: 1 },
], breaker: { consecutiveFailures: 1000, minimumVolume: 1000 } });
const client = new OpenAI({ apiKey: 'unused', maxRetries: 0, fetch });
const direct = new OpenAI({ apiKey: 'unused', maxRetries: 0, baseURL: A.url });
for (const [id, [ct, body]] of Object.entries(files)) {
  const before = A.log.length + B.log.length;
  let via;
  try {
    const res = await client.files.content(id);
    const text = await res.text();
    via = `${res.status} identical=${text === body} endpoint=${res.headers.get('x-detour-endpoint')}`;
  } catch (e) { via = `ERROR ${e.status} ${String(e.message).slice(0, 170)}`; }
  const upstream = A.log.length + B.log.length - before;
  const d = await direct.files.content(id);
  console.log(`${id} (${ct}): detour -> ${via} | upstream requests ${upstream} | direct -> ${d.status} identical=${(await d.text()) === body}`);
}
await fetch.router.close();
await Promise.all([A.close(), B.close()]);
