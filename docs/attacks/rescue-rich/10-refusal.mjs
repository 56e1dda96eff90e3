// Structured-output refusals stream as delta.refusal (OpenAI). Cut mid-refusal; healthy backup.
import { hardStop, sse, afterEvent, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(120000);

const rf = { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } } };
const params = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'something disallowed' }], response_format: rf };
const REF = ["I'm", ' sorry', ', I', ' cannot', ' help', ' with that.'];
const refusal = (id, parts = REF) => sse([chunkOf(id, { role: 'assistant', content: null, refusal: null }), ...parts.map((t) => chunkOf(id, { refusal: t })), chunkOf(id, {}, 'stop'), '[DONE]']);
const raw = refusal('p');
const collect = (r) => r.chunks.flatMap((c) => c.choices.map((ch) => ch.delta?.refusal ?? '')).join('');
await runChatCase({ name: '10a refusal stream cut mid-refusal, identical replay', params, primaryRaw: raw, cutAt: afterEvent(raw, '" cannot"'),
  backup: () => ({ raw: refusal('b') }), expect: (a, r) => (r.error ? r.error : collect(r) === REF.join('') ? true : `refusal text the caller got: ${JSON.stringify(collect(r))}`) });
await runChatCase({ name: '10b refusal cut mid-refusal, backup answers with content instead (different answer)', params, primaryRaw: raw, cutAt: afterEvent(raw, '" cannot"'),
  backup: () => ({ raw: sse([chunkOf('b', { role: 'assistant', content: '' }), chunkOf('b', { content: '{"a": "ok"}' }), chunkOf('b', {}, 'stop'), '[DONE]']) }),
  expect: (a, r) => (r.error ? true : `clean end: refusal ${JSON.stringify(collect(r))} + content ${JSON.stringify(a.choices[0].content)}`), hows: ['reset'] });
