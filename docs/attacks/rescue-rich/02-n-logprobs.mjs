// Case 2: n=2 (interleaved choices) and logprobs / top_logprobs.
import { hardStop, sse, after, afterEvent, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(150000);

const base = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'say hi twice' }] };
const A = ['Hello', ' there', ', friend', '!'];
const B = ['Hi', ' you', ' all', '.'];
const two = (id) => {
  const ev = [{ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }, { index: 1, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  for (let i = 0; i < 4; i++) for (const k of [0, 1]) ev.push({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: k, delta: { content: (k ? B : A)[i] }, finish_reason: null }] });
  for (const k of [0, 1]) ev.push({ id, object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: k, delta: {}, finish_reason: 'stop' }] });
  ev.push('[DONE]');
  return sse(ev);
};
const nRaw = two('p');
const visibleOrWhole = (a, r) => {
  const c0 = a.choices[0]?.content; const c1 = a.choices[1]?.content;
  if (r.error) return true;
  if (c0 === A.join('') && c1 === B.join('') && a.choices[0].finish.length === 1 && a.choices[1].finish.length === 1) return true;
  return `clean end with c0=${JSON.stringify(c0)} c1=${JSON.stringify(c1)}`;
};
// 2a n=2, cut between two choices' chunks (after choice 0's " there")
await runChatCase({ name: '2a n=2 cut between choices', params: { ...base, n: 2 }, primaryRaw: nRaw, cutAt: afterEvent(nRaw, ' there'), backup: () => ({ raw: two('b') }), expect: visibleOrWhole });
// 2b n=2, cut after choice 0 finished but choice 1 not
await runChatCase({ name: '2b n=2 cut after choice 0 finish_reason, before choice 1 finish', params: { ...base, n: 2 }, primaryRaw: nRaw, cutAt: afterEvent(nRaw, '"finish_reason":"stop"'), backup: () => ({ raw: two('b') }), expect: visibleOrWhole });
// 2c n=1 request, but the answer is 'n: 2' expressed as a float (2.0 parses as 2 in JSON) -- skip; n as string '2'
await runChatCase({ name: '2c n="2" (string) request, 2-choice stream cut', params: { ...base, n: '2' }, primaryRaw: nRaw, cutAt: afterEvent(nRaw, ' there'), backup: () => ({ raw: two('b') }), expect: visibleOrWhole, hows: ['close'] });

// logprobs
const toks = ['The', ' sky', ' is', ' blue', '.'];
const lp = (t) => ({ content: [{ token: t, logprob: -0.1, bytes: [...Buffer.from(t)], top_logprobs: [{ token: t, logprob: -0.1, bytes: [...Buffer.from(t)] }] }], refusal: null });
const lpAnswer = (id, from = 0) => sse([chunkOf(id, { role: 'assistant', content: '' }, null, { logprobs: null }), ...toks.slice(from).map((t) => chunkOf(id, { content: t }, null, { logprobs: lp(t) })), chunkOf(id, {}, 'stop', { logprobs: null }), '[DONE]']);
const lpRaw = lpAnswer('p');
const lpExpect = (a, r) => {
  const c = a.choices[0];
  if (r.error) return `error ${r.error}`;
  if (c.content !== toks.join('')) return `content ${JSON.stringify(c.content)}`;
  if (c.logprobs !== c.chunksWithText) return `logprobs on ${c.logprobs} of ${c.chunksWithText} text chunks (caller asked logprobs)`;
  return true;
};
// 2d logprobs, replay backup (no continuation)
await runChatCase({ name: '2d logprobs:true top_logprobs:1, replay', params: { ...base, logprobs: true, top_logprobs: 1 }, primaryRaw: lpRaw, cutAt: afterEvent(lpRaw, '" sky"'), backup: () => ({ raw: lpAnswer('b') }), expect: lpExpect });
// 2e logprobs, continuation backup
await runChatCase({ name: '2e logprobs:true, continuation (mistral)', params: { ...base, logprobs: true, top_logprobs: 1 }, primaryRaw: lpRaw, cutAt: afterEvent(lpRaw, '" sky"'), backupExtra: { continuation: 'mistral' },
  backup: (body) => { const last = body.messages.at(-1); if (last.role !== 'assistant') return { raw: lpAnswer('b') }; let i = 0, s = ''; while (s !== last.content) s += toks[i++]; return { raw: lpAnswer('b', i) }; }, expect: lpExpect, hows: ['reset'] });
