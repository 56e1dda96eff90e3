// A chat stream whose every choice has its finish_reason (a terminating event per docs/rescue.md) but no [DONE],
// after which the upstream's connection breaks (chunked body without its last chunk, or a TCP reset): the caller
// already holds the whole answer, yet its SDK throws; nothing is rescued (one upstream request).
import { createRequire } from 'node:module';
import { createFetch } from '../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { withGateway, base } from './repro-common.mjs';
const require = createRequire(new URL('../packages/node/package.json', import.meta.url));
const OpenAI = (await import(require.resolve('openai'))).default;
const sse = { ...base, shape: 'sse', ctype: 'text/event-stream', framing: 'chunked' };
for (const [label, plan] of [
  ['finish, no [DONE], chunked body cut (no 0-chunk)', { ...sse, noDone: true, end: 'close-nofinal' }],
  ['finish, no [DONE], TCP reset', { ...sse, noDone: true, end: 'reset' }],
  ['finish, no [DONE], clean end (control)', { ...sse, noDone: true }],
  ['finish + [DONE], chunked body cut (no 0-chunk)', { ...sse, end: 'close-nofinal' }],
  ['finish + [DONE], TCP reset', { ...sse, end: 'reset' }],
]) {
  const up = await startUpstream(); up.reset([[plan], [{ ...sse }]]);
  const fetch = createFetch({ endpoints: [0, 1].map((i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })), deadlineMs: 3000, streamIdleTimeoutMs: 1000 });
  const sdk = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  let content = ''; let finish; let outcome = 'completed';
  try { for await (const ch of await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true })) { content += ch.choices?.[0]?.delta?.content ?? ''; finish = ch.choices?.[0]?.finish_reason ?? finish; } } catch (e) { outcome = `threw ${e.constructor.name}: ${e.message}`; }
  console.log(`createFetch [${label}]: received ${JSON.stringify(content)} finish=${finish}; ${outcome}; upstream requests ${JSON.stringify(up.state.requests.map((q) => q.ep))}`);
  await up.close();
  const { res, requests } = await withGateway([[plan], [{ ...sse }]], { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
  console.log(`gateway     [${label}]: ${res.status} connection end=${res.end}, has finish_reason=${res.body?.includes('"finish_reason":"stop"')}, [DONE]=${res.body?.includes('[DONE]')}; upstream requests ${JSON.stringify(requests)}`);
}
process.exit(0);
