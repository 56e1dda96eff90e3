// A Worker that runs the real SDKs over @detour/edge's createFetch, inside workerd. POST /run with JSON
// { endpoints, options, call } runs one SDK call with a fresh createFetch and answers what the SDK saw.
// GET /proxy/* relays through a module-scope createFetch (configured by the PROXY_CONFIG binding) as a proxy Worker would.
import OpenAI, { toFile } from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { createFetch } from '../../../../packages/edge/dist/index.js';

const hex = async (buf) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
const bytes = (n, seed = 7) => { const a = new Uint8Array(n); let x = seed; for (let i = 0; i < n; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; a[i] = x >> 16; } return a; };

const calls = {
  'files.create': (o) => o.files.create({ purpose: 'batch', file: new File(['{"custom_id":"1"}\n'], 'in.jsonl', { type: 'application/jsonl' }) }),
  'batches.create': (o) => o.batches.create({ input_file_id: 'file-abc', endpoint: '/v1/chat/completions', completion_window: '24h' }),
  'fineTuning.jobs.create': (o) => o.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-abc' }),
  'uploads.create': (o) => o.uploads.create({ bytes: 10, filename: 'a.jsonl', mime_type: 'text/jsonl', purpose: 'batch' }),
  'vectorStores.create': (o) => o.vectorStores.create({ name: 'v' }),
  'images.generate': (o) => o.images.generate({ model: 'gpt-image-1', prompt: 'a cat' }),
  'anthropic messages.batches.create': (o, a) => a.messages.batches.create({ requests: [{ custom_id: '1', params: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } }] }),
  'models.list': async (o) => ({ ids: (await o.models.list()).data.map((m) => m.id) }),
  'files.list': async (o) => ({ ids: (await o.files.list()).data.map((m) => m.id) }),
  'anthropic models.list': async (o, a) => ({ ids: (await a.models.list()).data.map((m) => m.id) }),
  'transcriptions.create': (o, a, arg) => o.audio.transcriptions.create({ model: arg?.model ?? 'whisper-1', file: new File([bytes(arg?.size ?? 3 * 1024 * 1024)], 'a.mp3', { type: 'audio/mpeg' }) }),
};
const binaryCalls = {
  'audio.speech': (o) => o.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello' }),
  'files.content': (o) => o.files.content('file-abc'),
};

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/run') {
      const { endpoints, options = {}, call, arg } = await request.json();
      const detourFetch = createFetch({ endpoints, ...options });
      const events = [];
      detourFetch.router.subscribe((e) => { if (e.type === 'attempt-end') events.push(`${e.endpoint}:${e.kind}:${e.status ?? ''}:${e.reason.slice(0, 80)}`); });
      const openai = new OpenAI({ apiKey: 'caller', maxRetries: 0, fetch: detourFetch, timeout: 20000 });
      const anthropic = new Anthropic({ apiKey: 'caller', maxRetries: 0, fetch: detourFetch, timeout: 20000 });
      const t0 = Date.now();
      try {
        if (binaryCalls[call]) {
          const res = await binaryCalls[call](openai, anthropic, arg);
          const tHeaders = Date.now() - t0;
          const reader = res.body.getReader();
          let n = 0; let tFirst; let sum = 0x811c9dc5;
          try {
            for (;;) { const { done, value } = await reader.read(); if (done) break; tFirst ??= Date.now() - t0; n += value.byteLength; for (let i = 0; i < value.length; i++) sum = Math.imul(sum ^ value[i], 16777619) >>> 0; }
          } catch (e) {
            return Response.json({ ok: false, cutAfterBytes: n, tHeaders, tFirst, error: `${e.name}: ${e.message}`.slice(0, 300), events });
          }
          return Response.json({ ok: true, status: res.status, ct: res.headers.get('content-type'), endpoint: res.headers.get('x-detour-endpoint'), attempts: res.headers.get('x-detour-attempts'), n, fnv: sum.toString(16), tHeaders, tFirst, tEnd: Date.now() - t0, events });
        }
        const { data, response } = await calls[call](openai, anthropic, arg).withResponse();
        return Response.json({ ok: true, status: response.status, id: data.id, ids: data.ids, text: data.text, endpoint: response.headers.get('x-detour-endpoint'), attempts: response.headers.get('x-detour-attempts'), events });
      } catch (e) {
        return Response.json({ ok: false, status: e.status, error: String(e.message).replace(/\s+/g, ' ').slice(0, 400), events });
      } finally {
        ctx.waitUntil(detourFetch.router.close?.());
      }
    }
    return new Response('not found', { status: 404 });
  },
};
