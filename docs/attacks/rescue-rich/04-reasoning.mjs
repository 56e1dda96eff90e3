// Case 4: reasoning streams (DeepSeek reasoning_content, OpenRouter reasoning / reasoning_details), cut in reasoning and content.
import { hardStop, sse, afterEvent, after, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(200000);

const base = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'what is 6*7?' }] };
const R = ['Let', ' me', ' multiply', ' six', ' by seven', '.'];
const C = ['The', ' answer', ' is', ' 42', '.'];
const rAns = (id, key, { reasoning = R, content = C, details = false } = {}) => sse([
  chunkOf(id, { role: 'assistant', content: '' }),
  ...reasoning.map((t) => chunkOf(id, { content: '', [key]: t, ...(details ? { reasoning_details: [{ type: 'reasoning.text', text: t, format: 'unknown', index: 0 }] } : {}) })),
  ...content.map((t) => chunkOf(id, { content: t })),
  chunkOf(id, {}, 'stop'), '[DONE]']);
const expectWhole = (wantR = R.join(''), wantC = C.join('')) => (a, r) => {
  if (r.error) return `error ${r.error}`;
  const c = a.choices[0];
  if (c.reasoning !== wantR) return `reasoning ${JSON.stringify(c.reasoning)}`;
  if (c.content !== wantC) return `content ${JSON.stringify(c.content)}`;
  if (c.finish.length !== 1) return `finish ${c.finish}`;
  return true;
};
const ds = rAns('p', 'reasoning_content');
await runChatCase({ name: '4a deepseek reasoning_content, cut during reasoning, backup continuation=deepseek (must replay)', params: base, primaryRaw: ds, cutAt: afterEvent(ds, '" multiply"'),
  backupExtra: { continuation: 'deepseek' }, backup: () => ({ raw: rAns('b', 'reasoning_content') }), expect: expectWhole() });
await runChatCase({ name: '4b deepseek, cut during content', params: base, primaryRaw: ds, cutAt: afterEvent(ds, '" answer"'),
  backupExtra: { continuation: 'deepseek' }, backup: () => ({ raw: rAns('b', 'reasoning_content') }), expect: expectWhole() });
// cut inside a multi-byte char (reasoning with CJK)
const cjk = rAns('p', 'reasoning_content', { reasoning: ['让我', '想一想', '六乘七'], content: ['答案', '是四十二'] });
await runChatCase({ name: '4c reasoning CJK, cut inside a 3-byte UTF-8 char', params: base, primaryRaw: cjk, cutAt: after(cjk, '想') - 1,
  backup: () => ({ raw: rAns('b', 'reasoning_content', { reasoning: ['让我', '想一想', '六乘七'], content: ['答案', '是四十二'] }) }), expect: expectWhole('让我想一想六乘七', '答案是四十二') });
const orr = rAns('p', 'reasoning');
await runChatCase({ name: '4d openrouter reasoning, cut during reasoning, replay diverges in reasoning', params: base, primaryRaw: orr, cutAt: afterEvent(orr, '" six"'),
  backupExtra: { continuation: 'openrouter' }, backup: () => ({ raw: rAns('b', 'reasoning', { reasoning: ['Let', ' me', ' think', ' hard'] }) }), expect: (a, r) => (r.error ? true : `clean end ${JSON.stringify(a.choices[0])}`), hows: ['reset'] });
// reasoning_details alongside reasoning (OpenRouter sends both)
const ord = rAns('p', 'reasoning', { details: true });
await runChatCase({ name: '4e openrouter reasoning + reasoning_details, cut in content, identical replay', params: base, primaryRaw: ord, cutAt: afterEvent(ord, '" answer"'),
  backup: () => ({ raw: rAns('b', 'reasoning', { details: true }) }),
  expect: (a, r) => { const w = expectWhole()(a, r); if (w !== true) return w; return a.choices[0].details === R.join('') ? true : `reasoning_details text ${JSON.stringify(a.choices[0].details)} != ${JSON.stringify(R.join(''))}`; }, hows: ['close'] });
// both reasoning_content and reasoning in the same delta (vLLM transitional versions send both)
const both = sse([chunkOf('p', { role: 'assistant', content: '' }), ...R.map((t) => chunkOf('p', { reasoning_content: t, reasoning: t })), ...C.map((t) => chunkOf('p', { content: t })), chunkOf('p', {}, 'stop'), '[DONE]']);
const bothB = both.replaceAll('"id":"p"', '"id":"b"');
await runChatCase({ name: '4f delta carries both reasoning_content and reasoning, cut in content, identical replay', params: base, primaryRaw: both, cutAt: afterEvent(both, '" answer"'),
  backup: () => ({ raw: bothB }), expect: (a, r) => { if (r.error) return r.error; const c = a.choices[0]; return c.reasoningFieldOnly === R.join('') && c.content === C.join('') ? true : `delta.reasoning text ${JSON.stringify(c.reasoningFieldOnly)}; content ${JSON.stringify(c.content)}`; }, hows: ['close'] });
// Delivered content only (reasoning hidden on the primary); the continuation target thinks before continuing.
const plain = sse([chunkOf('p', { role: 'assistant', content: '' }), ...C.map((t) => chunkOf('p', { content: t })), chunkOf('p', {}, 'stop'), '[DONE]']);
await runChatCase({ name: '4g content-only delivered, continuation target emits reasoning deltas before continuing', params: base, primaryRaw: plain, cutAt: afterEvent(plain, '" answer"'),
  backupExtra: { continuation: 'openrouter' },
  backup: (body) => { const last = body.messages.at(-1); const rest = C.join('').slice(last.role === 'assistant' ? last.content.length : 0); return { raw: sse([chunkOf('b', { role: 'assistant', content: '' }), chunkOf('b', { content: '', reasoning: 'Continuing the sentence.' }), chunkOf('b', { content: rest }), chunkOf('b', {}, 'stop'), '[DONE]']) }; },
  expect: (a, r) => (r.error ? true : a.choices[0].reasoning === '' ? true : `reasoning ${JSON.stringify(a.choices[0].reasoning)} arrived after content ${JSON.stringify(C.slice(0, 2).join(''))}`), hows: ['reset'] });
