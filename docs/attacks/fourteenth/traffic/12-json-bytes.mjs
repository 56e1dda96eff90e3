// Non-stream answers byte for byte (big integers, escapes, trailing newline, unusual but valid spacing) and a request
// body byte for byte (escapes, big integers, key order, a 6 MB base64 image), direct vs gateway vs createFetch.
import { upstream, gateway, createFetch, UPKEY, GK, show } from './lib.mjs';

const answerText = '{\n  "id": "chatcmpl-\\u00e9",\n  "object": "chat.completion",\n  "created": 1733000000,\n  "model": "gpt-4.1",\n  "choices": [ { "index": 0, "message": { "role": "assistant", "content": "\\ud83d\\ude00 \u2028 line", "refusal": null, "annotations": [] }, "logprobs": null, "finish_reason": "stop" } ],\n  "usage": { "prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21, "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0} },\n  "service_tier": "default",\n  "system_fingerprint": "fp_123",\n  "big": 123456789012345678901234567890\n}\n';
const up = await upstream((req, buf, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); res.end(answerText); });
const gw = await gateway([{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }], { root: { maxBodyBytes: 20 * 1024 * 1024 } });
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const image = Buffer.alloc(6 * 1024 * 1024, 7).toString('base64');
const bodyText = `{"messages":[{"role":"user","content":[{"type":"text","text":"\\u00e9 \\ud83d\\ude00 \u2028"},{"type":"image_url","image_url":{"url":"data:image/png;base64,${image}","detail":"high"}}]}],"model":"gpt-4.1","temperature":1.0,"seed":18446744073709551615 }`;
for (const [label, send] of [
  ['gateway', () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${GK}`, 'content-type': 'application/json' }, body: bodyText })],
  ['createFetch', () => f('https://api.openai.com/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyText })],
]) {
  const r = await send();
  const text = await r.text();
  show(`${label} answer identical`, String(text === answerText));
  show(`${label} request identical`, String(up.seen.at(-1).body === bodyText));
}
await gw.close(0); await f.router.close(); await up.close();
