// Case 3: response_format json_object / json_schema, stop, max_tokens / max_completion_tokens near delivered, seed.
import { hardStop, sse, afterEvent, after, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(150000);

const base = { model: 'gpt-4.1', messages: [{ role: 'system', content: 'answer in JSON' }, { role: 'user', content: 'give me a city' }] };
const J = ['{"', 'city', '": "', 'Par', 'is', '", "', 'pop', '": ', '2100', '000', '}'];
const whole = J.join('');
const ans = (id, pieces, finish = 'stop') => sse([chunkOf(id, { role: 'assistant', content: '' }), ...pieces.map((t) => chunkOf(id, { content: t })), chunkOf(id, {}, finish), '[DONE]']);
const cont = (full, finish = 'stop') => (body) => {
  const last = body.messages.at(-1);
  if (last.role !== 'assistant') return { raw: ans('b', full, finish) };
  const text = full.join('');
  if (!text.startsWith(last.content)) return { raw: ans('b', ['<<prefix mismatch>>']) };
  const rest = text.slice(last.content.length);
  return { raw: ans('b', rest ? [rest] : [], finish) };
};
const expectText = (want, finishWant = 'stop') => (a, r) => {
  if (r.error) return `error ${r.error}`;
  const c = a.choices[0];
  if (c.content !== want) return `content ${JSON.stringify(c.content)}`;
  if (c.finish.join() !== finishWant) return `finish ${c.finish}`;
  return true;
};
const raw = ans('p', J);
const rf = { type: 'json_schema', json_schema: { name: 'city', strict: true, schema: { type: 'object', properties: { city: { type: 'string' }, pop: { type: 'integer' } }, required: ['city', 'pop'], additionalProperties: false } } };
// 3a json_schema + seed + stop, continuation backup: check what the backup is asked
await runChatCase({ name: '3a json_schema+seed+stop, continue (openrouter)', params: { ...base, response_format: rf, seed: 42, stop: ['\n\n', 'END'], max_completion_tokens: 200 },
  primaryRaw: raw, cutAt: afterEvent(raw, '"Par"'), backupExtra: { continuation: 'openrouter' }, backup: cont(J), expect: expectText(whole) });
// 3b json_object, replay
await runChatCase({ name: '3b json_object, replay (none)', params: { ...base, response_format: { type: 'json_object' }, seed: 7 },
  primaryRaw: raw, cutAt: afterEvent(raw, '"pop"'), backup: cont(J), expect: expectText(whole), hows: ['close'] });
// 3c max_tokens exactly what was delivered: primary delivered 11 chunks = max_tokens 11 and was cut before finish_reason
const short = ans('p', J, 'length');
await runChatCase({ name: '3c max_tokens=11, all 11 tokens delivered, cut before finish_reason(length); continue', params: { ...base, max_tokens: 11 },
  primaryRaw: short, cutAt: afterEvent(short, '"}"'), backupExtra: { continuation: 'mistral' },
  backup: (body) => { const last = body.messages.at(-1); if (last.role === 'assistant') return { raw: ans('b', [' and more tokens beyond'].slice(0, body.max_tokens), 'length') }; return { raw: ans('b', J, 'length') }; },
  expect: (a, r) => (r.error ? true : a.choices[0].content === whole ? true : `caller got ${JSON.stringify(a.choices[0].content)} though max_tokens=11 was already delivered`), hows: ['reset'] });
// 3d max_completion_tokens=12, 9 delivered: what is the continuation asked?
await runChatCase({ name: '3d max_completion_tokens=12, 9 delivered, continue', params: { ...base, max_completion_tokens: 12 },
  primaryRaw: raw, cutAt: afterEvent(raw, '"2100"'), backupExtra: { continuation: 'vllm' }, backup: cont(J), expect: expectText(whole), hows: ['close'] });
// 3e stop sequence: the delivered text ends with the first part of a stop sequence ("EN" of "END") -- continuation
const S = ['Answer', ': 42', ' EN'];
const sRaw = ans('p', [...S, 'D']);
await runChatCase({ name: '3e stop=["END"]; delivered text ends with "EN"; continue', params: { ...base, stop: ['END'] },
  primaryRaw: sRaw, cutAt: afterEvent(sRaw, '" EN"'), backupExtra: { continuation: 'openrouter' },
  backup: (body) => { const last = body.messages.at(-1); return last.role === 'assistant' ? { raw: ans('b', ['D of story']) } : { raw: ans('b', ['Answer: 42 ']) }; },
  expect: (a, r) => (r.error ? true : `caller got ${JSON.stringify(a.choices[0].content)} (contains the stop sequence "END")`), hows: ['reset'] });
