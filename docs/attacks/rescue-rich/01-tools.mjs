// Case 1: tool_calls streams cut mid-answer (single, parallel, text then tool call).
import { hardStop, sse, after, afterEvent, chunkOf } from './lib.mjs';
import { runChatCase } from './run-case.mjs';
hardStop(150000);

const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } }];
const params = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'weather and time in Paris?' }], tools, tool_choice: 'auto', parallel_tool_calls: true };

const toolAnswer = (id, calls, text = []) => sse([
  chunkOf(id, { role: 'assistant', content: null }),
  ...text.map((t) => chunkOf(id, { content: t })),
  ...calls.flatMap((call, k) => [
    chunkOf(id, { tool_calls: [{ index: k, id: `call_${id}_${k}`, type: 'function', function: { name: call.name, arguments: '' } }] }),
    ...call.args.map((a) => chunkOf(id, { tool_calls: [{ index: k, function: { arguments: a } }] })),
  ]),
  chunkOf(id, {}, 'tool_calls'),
  '[DONE]',
]);
const W = { name: 'get_weather', args: ['{"ci', 'ty": "Pa', 'ris"}'] };
const T = { name: 'get_time', args: ['{"tz"', ': "Europe/', 'Paris"}'] };
const W2 = { name: 'get_weather', args: ['{"ci', 'ty": "Lo', 'ndon"}'] };

const expectWhole = (wantTools, wantText = '') => (a, r) => {
  const c = a.choices[0];
  if (r.error) return `error ${r.error}`;
  if (!c) return 'no choice';
  const got = c.tools.map((t) => `${t.name}(${t.arguments})`).join(',');
  const want = wantTools.map((t) => `${t.name}(${t.args.join('')})`).join(',');
  if (got !== want) return `tools ${got} != ${want}`;
  if (c.tools.some((t) => t.ids.length !== 1)) return `tool ids ${JSON.stringify(c.tools.map((t) => t.ids))}`;
  if ((c.content ?? '') !== wantText) return `content ${JSON.stringify(c.content)}`;
  if (c.finish.length !== 1) return `finish ${c.finish}`;
  try { for (const t of c.tools) JSON.parse(t.arguments); } catch { return 'args not JSON'; }
  return true;
};
const expectVisible = (a, r) => (r.error ? true : `clean end: ${JSON.stringify(a.choices)}`);

// 1a single tool call cut inside arguments; backup replays identically.
const single = toolAnswer('p', [W]);
await runChatCase({ name: '1a single tool call cut in args, identical replay', params, primaryRaw: single, cutAt: after(single, 'ty\\": \\"Pa'),
  backup: () => ({ raw: toolAnswer('b', [W]) }), backupExtra: { continuation: 'openrouter' }, expect: expectWhole([W]) });
// 1b backup replays different arguments -> must fail visibly
await runChatCase({ name: '1b single tool call cut in args, replay diverges (London)', params, primaryRaw: single, cutAt: afterEvent(single, 'ty\\": \\"Pa'),
  backup: () => ({ raw: toolAnswer('b', [W2]) }), expect: expectVisible, hows: ['reset'] });
// 1c parallel: cut inside call 1 args
const par = toolAnswer('p', [W, T]);
await runChatCase({ name: '1c parallel tool calls cut inside 2nd call args', params, primaryRaw: par, cutAt: after(par, ': \\"Europe/'),
  backup: () => ({ raw: toolAnswer('b', [W, T]) }), backupExtra: { continuation: 'openrouter' }, expect: expectWhole([W, T]) });
// 1d parallel: cut right between the two calls (after call 0 complete)
await runChatCase({ name: '1d parallel tool calls cut between calls', params, primaryRaw: par, cutAt: after(par, 'ris\\"}"}}]},"finish_reason":null}]}\n\n'),
  backup: () => ({ raw: toolAnswer('b', [W, T]) }), expect: expectWhole([W, T]), hows: ['close'] });
// 1e text then tool call; cut in the text; backup (openrouter continuation) continues with the tool call
const txt = toolAnswer('p', [W], ['Let me ', 'check the ', 'weather.']);
await runChatCase({ name: '1e text then tool call, cut in text, continuation backup', params, primaryRaw: txt, cutAt: afterEvent(txt, 'check the '),
  backup: (body) => { const last = body.messages.at(-1); if (last.role === 'assistant') return { raw: sse([chunkOf('b', { role: 'assistant', content: '' }), chunkOf('b', { content: 'Let me check the weather.'.slice(last.content.length) }), chunkOf('b', { tool_calls: [{ index: 0, id: 'call_b_0', type: 'function', function: { name: 'get_weather', arguments: '' } }] }), ...W.args.map((x) => chunkOf('b', { tool_calls: [{ index: 0, function: { arguments: x } }] })), chunkOf('b', {}, 'tool_calls'), '[DONE]']) }; return { raw: toolAnswer('b', [W], ['Let me ', 'check the ', 'weather.']) }; },
  backupExtra: { continuation: 'openrouter' }, expect: expectWhole([W], 'Let me check the weather.') });
// 1f text then tool call, cut inside the tool call args -> replay only
await runChatCase({ name: '1f text then tool call, cut in args, identical replay', params, primaryRaw: txt, cutAt: after(txt, 'ty\\": \\"Pa'),
  backup: () => ({ raw: toolAnswer('b', [W], ['Let me ', 'check the ', 'weather.']) }), backupExtra: { continuation: 'openrouter' }, expect: expectWhole([W], 'Let me check the weather.') });
// 1g cut right after the function name chunk (arguments empty so far)
await runChatCase({ name: '1g cut right after tool name chunk', params, primaryRaw: single, cutAt: after(single, '"arguments":""}}]},"finish_reason":null}]}\n\n'),
  backup: () => ({ raw: toolAnswer('b', [W]) }), backupExtra: { continuation: 'mistral' }, expect: expectWhole([W]), hows: ['reset'] });
// 1h replay that emits the same tool call but split differently (name+args in one chunk)
await runChatCase({ name: '1h replay chunks tool call differently (name with first args)', params, primaryRaw: single, cutAt: after(single, 'ty\\": \\"Pa'),
  backup: () => ({ raw: sse([chunkOf('b', { role: 'assistant', content: null }), chunkOf('b', { tool_calls: [{ index: 0, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city": ' } }] }), chunkOf('b', { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }), chunkOf('b', {}, 'tool_calls'), '[DONE]']) }),
  expect: expectWhole([{ name: 'get_weather', args: ['{"city": "Paris"}'] }]), hows: ['close'] });
// 1i replay that writes the tool call at a different index (0 vs 1 because it adds a text-less call first)
await runChatCase({ name: '1i replay answers with an extra tool call before (index shift)', params, primaryRaw: single, cutAt: after(single, 'ty\\": \\"Pa'),
  backup: () => ({ raw: toolAnswer('b', [T, W]) }), expect: expectVisible, hows: ['close'] });
