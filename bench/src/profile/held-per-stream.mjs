// What an open stream keeps alive with a large prompt: a router (no network; a fake transport whose streams send one
// event and then stay open) holds `count` streams, and the live heap after two full collections, less the live heap
// before, is divided among them. Three cases: a stream served at once (rescue on, the default), the same with
// `rescue: 'off'`, and one served after a 503 by an endpoint that renames the model.
//
//   node --expose-gc bench/src/profile/held-per-stream.mjs [count] [promptBytes]
import { createRouter } from '@detour/node';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const count = Number(process.argv[2] ?? 50);
const promptBytes = Number(process.argv[3] ?? 200_000);
const encoder = new TextEncoder();
const firstEvent = encoder.encode('data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\n');
const overloaded = encoder.encode(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }));

/** A 503 from `a.example`; from anywhere else, a stream that sends its first event and waits until cancelled. */
const transport = async (request) => {
  if (request.url.includes('a.example')) {
    return { status: 503, headers: { 'content-type': 'application/json' }, body: (async function* () { yield overloaded; })(), cancel() {} };
  }
  let stop;
  const stopped = new Promise((resolve) => { stop = resolve; });
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body: (async function* () { yield firstEvent; await stopped; })(),
    cancel() { stop(); },
  };
};

const liveHeap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};

const measure = async (label, options) => {
  const router = createRouter(options, { transport, tracer: false });
  const before = liveHeap();
  const held = [];
  for (let index = 0; index < count; index += 1) {
    const body = JSON.stringify({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: `${index} ${'x'.repeat(promptBytes)}` }] });
    const result = await router.send({ path: '/chat/completions', headers: { 'content-type': 'application/json' }, body });
    await result.stream.next();
    held.push(result);
  }
  const perStream = (liveHeap() - before) / count / 1024;
  for (const result of held) await result.stream.return();
  await router.close();
  console.log(`| ${label} | ${perStream.toFixed(1)} |`);
};

const served = { name: 'b', baseUrl: 'https://b.example/v1', apiKey: 'sk-b' };
console.log(`${count} open streams, ${(promptBytes / 1000).toFixed(0)} kB prompts: live heap per stream\n`);
console.log('| case | KiB per stream |\n|---|---|');
await measure('served at once (rescue on)', { endpoints: [served], admission: { enabled: false } });
await measure("served at once, `rescue: 'off'`", { endpoints: [served], rescue: 'off', admission: { enabled: false } });
await measure('served after a 503, by an endpoint that renames the model', {
  endpoints: [{ name: 'a', baseUrl: 'https://a.example/v1', apiKey: 'sk-a' }, { ...served, priority: 1, models: { 'gpt-4.1': 'b-gpt' } }],
  admission: { enabled: false },
});
