// Case 8: stream_options.include_usage set by the caller; usage chunk and cost after a rescue.
import { hardStop, sse, afterEvent, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(150000);

const C = Array.from({ length: 20 }, (_, i) => (i ? ` w${i}` : 'w0'));
const usage = (id, p, c) => ({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [], usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c } });
const ans = (id, pieces, u) => sse([chunkOf(id, { role: 'assistant', content: '' }), ...pieces.map((t) => chunkOf(id, { content: t })), chunkOf(id, {}, 'stop'), ...(u ? [u] : []), '[DONE]']);
const raw = ans('p', C, usage('p', 50, 20));
const base = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'count words' }] };
const backup = (body) => {
  const last = body.messages.at(-1);
  const wantUsage = body.stream_options?.include_usage === true;
  if (last.role !== 'assistant') return { raw: ans('b', C, wantUsage ? usage('b', 50, 20) : undefined) };
  const done = C.findIndex((_, i) => C.slice(0, i + 1).join('') === last.content) + 1;
  // the continuation's prompt includes the prefix: 50 + prefix tokens (done); completion: the rest
  return { raw: ans('b', C.slice(done), wantUsage ? usage('b', 50 + done, 20 - done) : undefined) };
};
const expectUsage = (a, r) => {
  if (r.error) return `error ${r.error}`;
  if (a.choices[0].content !== C.join('')) return `content ${JSON.stringify(a.choices[0].content)}`;
  if (a.usage.length !== 1) return `${a.usage.length} usage chunks: ${JSON.stringify(a.usage)}`;
  const u = a.usage[0];
  return u.prompt_tokens === 50 && u.completion_tokens === 20 ? true : `usage ${JSON.stringify(u)} (expected 50/20)`;
};
await runChatCase({ name: '8a include_usage, continue (mistral), cut at word 8', params: { ...base, stream_options: { include_usage: true } }, primaryRaw: raw, cutAt: afterEvent(raw, '" w7"'),
  backupExtra: { continuation: 'mistral' }, backup, expect: expectUsage });
await runChatCase({ name: '8b include_usage, replay, cut at word 8', params: { ...base, stream_options: { include_usage: true } }, primaryRaw: raw, cutAt: afterEvent(raw, '" w7"'), backup, expect: expectUsage });
await runChatCase({ name: '8c caller did NOT ask usage, continue: no usage chunk must reach caller', params: base, primaryRaw: raw, cutAt: afterEvent(raw, '" w7"'),
  backupExtra: { continuation: 'mistral' }, backup, expect: (a, r) => (r.error ? r.error : a.usage.length === 0 && a.choices[0].content === C.join('') ? true : `usage ${JSON.stringify(a.usage)}`), hows: ['reset'] });
// cut after finish_reason but before the usage chunk the caller asked for
await runChatCase({ name: '8d include_usage, cut after finish_reason before usage chunk', params: { ...base, stream_options: { include_usage: true } }, primaryRaw: raw, cutAt: afterEvent(raw, '"finish_reason":"stop"'),
  backup, expect: (a, r) => (r.error ? true : a.usage.length === 1 ? true : `clean end, finish_reason delivered, usage chunk missing (asked for): ${JSON.stringify(a.usage)}`) });
