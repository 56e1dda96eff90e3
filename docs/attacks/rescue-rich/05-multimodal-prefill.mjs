// Case 5: multimodal input, long system prompt, caller's own assistant prefill; what the backup is asked.
import { hardStop, sse, afterEvent, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(150000);

const C = ['A', ' red', ' apple', ' on', ' a', ' table', '.'];
const ans = (id, pieces) => sse([chunkOf(id, { role: 'assistant', content: '' }), ...pieces.map((t) => chunkOf(id, { content: t })), chunkOf(id, {}, 'stop'), '[DONE]']);
const raw = ans('p', C);
const longSystem = 'You are a careful describer. '.repeat(4000); // ~116 KB
const img = 'data:image/png;base64,' + Buffer.alloc(3000, 7).toString('base64');
const messages = [{ role: 'system', content: longSystem }, { role: 'user', content: [{ type: 'text', text: 'describe' }, { type: 'image_url', image_url: { url: img, detail: 'high' } }, { type: 'image_url', image_url: { url: 'https://example.com/x.png' } }] }];
const cont = (full) => (body) => {
  const last = body.messages.at(-1);
  if (last.role !== 'assistant') return { raw: ans('b', full) };
  const text = full.join('');
  return { raw: text.startsWith(last.content) ? ans('b', [text.slice(last.content.length)]) : ans('b', ['<<mismatch>>']) };
};
const sameMessages = (want) => (a, r, bodies) => {
  if (r.error) return `error ${r.error}`;
  if (a.choices[0].content !== C.join('')) return `content ${JSON.stringify(a.choices[0].content)}`;
  const got = bodies[0].body.messages;
  if (JSON.stringify(got.slice(0, want.length)) !== JSON.stringify(want)) return 'caller messages changed in the backup request';
  return true;
};
await runChatCase({ name: '5a image_url parts + 116 KB system prompt, continue (openrouter)', params: { model: 'gpt-4.1', messages }, primaryRaw: raw, cutAt: afterEvent(raw, '" apple"'),
  backupExtra: { continuation: 'openrouter' }, backup: cont(C), expect: sameMessages(messages) });
await runChatCase({ name: '5b image_url parts + long system, replay', params: { model: 'gpt-4.1', messages }, primaryRaw: raw, cutAt: afterEvent(raw, '" apple"'),
  backup: cont(C), expect: sameMessages(messages), hows: ['close'] });

// Caller's own prefill: the request already ends with an assistant message; the model's output continues it.
const prefill = [{ role: 'user', content: 'give me JSON for a city' }, { role: 'assistant', content: '{"city": "' }];
const P = ['Par', 'is', '", "pop', '": 2', '100000}'];
const pRaw = ans('p', P);
for (const dialect of ['deepseek', 'openrouter']) {
  await runChatCase({ name: `5c caller prefill (assistant last), continue (${dialect})`, params: { model: 'gpt-4.1', messages: prefill }, primaryRaw: pRaw, cutAt: afterEvent(pRaw, '"is"'),
    backupExtra: { continuation: dialect }, backup: cont(P),
    expect: (a, r, bodies) => {
      const m = bodies[0]?.body.messages ?? [];
      const roles = m.map((x) => x.role).join(',');
      return roles.endsWith('assistant,assistant') ? `backup asked two consecutive assistant messages: ${JSON.stringify(m.slice(-2))}` : true;
    }, hows: ['reset'] });
}
await runChatCase({ name: '5d caller prefill, replay', params: { model: 'gpt-4.1', messages: prefill }, primaryRaw: pRaw, cutAt: afterEvent(pRaw, '"is"'),
  backup: () => ({ raw: ans('b', P) }), expect: (a, r, bodies) => (r.error ? r.error : a.choices[0].content === P.join('') && JSON.stringify(bodies[0].body.messages) === JSON.stringify(prefill) ? true : `content ${JSON.stringify(a.choices[0].content)}`), hows: ['reset'] });
