// OpenAI's other event streams, through createFetch (routes outside the five APIs are "routed to every endpoint, as
// before"): audio.speech with stream_format "sse" (speech.audio.delta … speech.audio.done) and a streamed
// transcription (transcript.text.delta … transcript.text.done); and a binary files.content download.
import OpenAI, { toFile } from 'openai';
import { upstream, createFetch, json, UPKEY, show } from './lib.mjs';

const up = await upstream((req, buf, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  if (p === '/v1/audio/speech') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ type: 'speech.audio.delta', audio: Buffer.from([1, 2, 3]).toString('base64') })}\n\n`);
    res.write(`data: ${JSON.stringify({ type: 'speech.audio.delta', audio: Buffer.from([4, 5]).toString('base64') })}\n\n`);
    return res.end(`data: ${JSON.stringify({ type: 'speech.audio.done', usage: { input_tokens: 14, output_tokens: 101, total_tokens: 115 } })}\n\n`);
  }
  if (p === '/v1/audio/transcriptions') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const d of ['Hello', ' world']) res.write(`data: ${JSON.stringify({ type: 'transcript.text.delta', delta: d, logprobs: [] })}\n\n`);
    return res.end(`data: ${JSON.stringify({ type: 'transcript.text.done', text: 'Hello world', logprobs: [], usage: { type: 'tokens', input_tokens: 14, output_tokens: 2, total_tokens: 16 } })}\n\n`);
  }
  if (p === '/v1/images/generations') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: image_generation.partial_image\ndata: ${JSON.stringify({ type: 'image_generation.partial_image', b64_json: 'aGk=', created_at: 1, size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'png', partial_image_index: 0 })}\n\n`);
    return res.end(`event: image_generation.completed\ndata: ${JSON.stringify({ type: 'image_generation.completed', b64_json: 'aGk=', created_at: 1, size: '1024x1024', quality: 'low', background: 'opaque', output_format: 'png', usage: { input_tokens: 10, output_tokens: 272, total_tokens: 282, input_tokens_details: { text_tokens: 10, image_tokens: 0 } } })}\n\n`);
  }
  if (p === '/v1/files/file-1/content') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a])); }
  json(res, 404, { error: { message: 'nope' } });
});
const f = createFetch({ endpoints: [{ name: 'oa', baseUrl: up.url, apiKey: UPKEY, provider: 'openai' }] });
const clients = { direct: new OpenAI({ apiKey: UPKEY, baseURL: up.url, maxRetries: 0 }), createFetch: new OpenAI({ apiKey: 'x', fetch: f, maxRetries: 0 }) };
const steps = {
  speech_sse: async (c) => { const r = await c.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'hi', stream_format: 'sse' }); return (await r.text()).split('\n\n').filter(Boolean).map((l) => JSON.parse(l.slice(6)).type).join(','); },
  transcription_stream: async (c) => { const s = await c.audio.transcriptions.create({ model: 'gpt-4o-mini-transcribe', file: await toFile(Buffer.from('RIFF'), 'a.wav'), stream: true }); const t = []; try { for await (const e of s) t.push(e.type); } catch (e) { throw new Error(`after events [${t}]: ${e.message}`); } return t.join(','); },
  image_stream: async (c) => { const s = await c.images.generate({ model: 'gpt-image-1', prompt: 'cat', stream: true, partial_images: 1 }); const t = []; try { for await (const e of s) t.push(e.type); } catch (e) { throw new Error(`after events [${t}]: ${e.message}`); } return t.join(','); },
  file_content: async (c) => [...new Uint8Array(await (await c.files.content('file-1')).arrayBuffer())].join(','),
};
for (const [name, step] of Object.entries(steps)) for (const [cn, c] of Object.entries(clients)) {
  const before = up.seen.length;
  let out; try { out = await step(c); } catch (e) { out = `THROWS ${e.constructor.name} ${e.status ?? ''} ${e.message.slice(0, 200)}`; }
  show(`${name} ${cn}`, `${out} | upstream requests ${up.seen.length - before}`);
}
await f.router.close(); await up.close();
