// Case 6: Anthropic Messages streams (thinking, tool_use with input_json_delta, two text blocks), cut inside each.
import { hardStop, upstream, gateway, detourFetch, endpointsFor, Anthropic, asse, after, show } from './lib.mjs';
hardStop(200000);

const msgStart = (id) => ({ type: 'message_start', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 30, output_tokens: 1 } } });
/** blocks: [{type:'text', parts:[...]}, {type:'thinking', parts}, {type:'tool_use', name, parts}] */
const message = (id, blocks, stop = 'end_turn', out = 20) => asse([
  msgStart(id),
  ...blocks.flatMap((b, i) => [
    { type: 'content_block_start', index: i, content_block: b.type === 'text' ? { type: 'text', text: '' } : b.type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'tool_use', id: `toolu_${id}_${i}`, name: b.name, input: {} } },
    ...b.parts.map((p) => ({ type: 'content_block_delta', index: i, delta: b.type === 'text' ? { type: 'text_delta', text: p } : b.type === 'thinking' ? { type: 'thinking_delta', thinking: p } : { type: 'input_json_delta', partial_json: p } })),
    ...(b.type === 'thinking' ? [{ type: 'content_block_delta', index: i, delta: { type: 'signature_delta', signature: 'sig123' } }] : []),
    { type: 'content_block_stop', index: i },
  ]),
  { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: out } },
  { type: 'message_stop' },
]);
const eventEnd = (raw, needle, k = 1) => { let i = -1; for (let j = 0; j < k; j++) i = raw.indexOf(needle, i + 1); if (i < 0) throw new Error(needle); return Buffer.byteLength(raw.slice(0, raw.indexOf('\n\n', i) + 2)); };

const summarize = (events) => {
  const blocks = [];
  for (const e of events) {
    if (e.type === 'content_block_start') blocks.push({ index: e.index, type: e.content_block.type, text: '', name: e.content_block.name });
    if (e.type === 'content_block_delta') {
      const b = blocks.filter((x) => x.index === e.index).at(-1);
      if (!b) { blocks.push({ index: e.index, type: '??orphan', text: JSON.stringify(e.delta) }); continue; }
      b.text += e.delta.text ?? e.delta.thinking ?? e.delta.partial_json ?? '';
      if (e.delta.type && !(b.type === 'text' && e.delta.type === 'text_delta') && !(b.type === 'thinking' && /thinking|signature/.test(e.delta.type)) && !(b.type === 'tool_use' && e.delta.type === 'input_json_delta')) b.mismatch = `${e.delta.type} on a ${b.type} block`;
    }
  }
  return { types: events.map((e) => e.type).filter((t) => t !== 'content_block_delta').join(','), blocks, stop: events.filter((e) => e.type === 'message_delta').map((e) => e.delta.stop_reason), ids: [...new Set(events.filter((e) => e.type === 'message_start').map((e) => e.message.id))] };
};

const run = async (c) => {
  for (const how of c.hows ?? ['reset', 'close']) for (const via of ['gateway', 'createFetch']) {
    const primary = await upstream('primary', (body, n) => (n === 1 ? { raw: c.primaryRaw, cutAt: c.cutAt, how } : { raw: c.primaryRaw }));
    const backup = await upstream('backup', (body, n) => c.backup(body, n));
    const endpoints = endpointsFor([primary, backup], [{ provider: 'anthropic' }, { provider: 'anthropic', ...(c.backupExtra ?? {}) }]);
    let client; let closeGw = async () => {};
    if (via === 'gateway') { const g = await gateway(endpoints, c.router); closeGw = g.close; client = new Anthropic({ baseURL: g.url, apiKey: 'gk-test-123456789', maxRetries: 0, timeout: 20000 }); }
    else { const d = detourFetch(endpoints, c.router); client = new Anthropic({ baseURL: 'http://detour.invalid', apiKey: 'unused', fetch: d.fetch, maxRetries: 0, timeout: 20000 }); }
    const events = []; let error; let final;
    const t0 = Date.now();
    try {
      const stream = client.messages.stream(c.params);
      for await (const e of stream) events.push(e);
      final = await stream.finalMessage();
    } catch (e) { error = `${e.constructor?.name}: ${String(e.message).slice(0, 400)}`; }
    console.log(`\n--- ${c.name} | cut=${how} | via=${via} | ${Date.now() - t0} ms`);
    const s = summarize(events);
    show('events', s.types); show('blocks', s.blocks); show('stop_reason', s.stop); show('message ids', s.ids);
    if (final) show('finalMessage.content', final.content.map((b) => ({ type: b.type, text: b.text ?? b.thinking, input: b.input, name: b.name })));
    show('error', error ?? 'none');
    show('requests primary/backup', `${primary.bodies.length}/${backup.bodies.length}`);
    for (const b of backup.bodies) { const copy = { ...b.body }; delete copy.messages; show('  backup asked', { path: b.path, lastMessages: b.body.messages?.slice(-2), ...copy, tools: b.body.tools ? `[${b.body.tools.length}]` : undefined }); }
    const v = c.expect(s, error, final); console.log(v === true ? 'VERDICT: HELD' : `VERDICT: FAIL -- ${v}`);
    await closeGw(); await primary.close(); await backup.close();
  }
};

const params = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }] };
const visible = (s, error) => (error ? true : `clean end: ${JSON.stringify(s.blocks)}`);
const T1 = ['First', ' block', ' of text.'];
const T2 = ['Second', ' block', ' here', ' 日本語', ' end.'];
const twoText = (id) => message(id, [{ type: 'text', parts: T1 }, { type: 'text', parts: T2 }]);
const expectTwo = (s, error, final) => {
  if (error) return `error ${error}`;
  const texts = s.blocks.map((b) => `${b.index}:${b.type}:${b.text}`);
  const want = [`0:text:${T1.join('')}`, `1:text:${T2.join('')}`];
  if (JSON.stringify(texts) !== JSON.stringify(want)) return `blocks ${JSON.stringify(texts)}`;
  if (s.stop.length !== 1 || s.ids.length !== 1) return `stop ${s.stop} ids ${s.ids}`;
  return true;
};
const tt = twoText('msg_p');
// continuation backup (anthropic prefill): continue from the assistant prefix
const contBackup = (full) => (body) => {
  const last = body.messages.at(-1);
  if (last.role !== 'assistant') return { raw: full('msg_b') };
  const text = [...T1, ...T2].join('');
  const prefix = typeof last.content === 'string' ? last.content : last.content.map((x) => x.text).join('');
  const rest = text.slice(prefix.length);
  return { raw: message('msg_b', [{ type: 'text', parts: [rest] }]) };
};
await run({ name: '6a two text blocks, cut inside block 2, continue (anthropic)', params, primaryRaw: tt, cutAt: eventEnd(tt, '" block"', 2), backupExtra: { continuation: 'anthropic' }, backup: contBackup(twoText), expect: expectTwo });
await run({ name: '6b two text blocks, cut inside block 2, replay', params, primaryRaw: tt, cutAt: eventEnd(tt, '" here"'), backup: () => ({ raw: twoText('msg_b') }), expect: expectTwo });
await run({ name: '6c two text blocks, cut inside a multi-byte char of block 2 (replay)', params, primaryRaw: tt, cutAt: after(tt, '日') - 1, backup: () => ({ raw: twoText('msg_b') }), expect: expectTwo });
await run({ name: '6d two text blocks, cut between block 1 stop and block 2 start (replay)', params, primaryRaw: tt, cutAt: eventEnd(tt, '"content_block_stop","index":0'), backup: () => ({ raw: twoText('msg_b') }), expect: expectTwo, hows: ['close'] });

// thinking then text
const th = message('msg_p', [{ type: 'thinking', parts: ['Hmm', ' let me', ' think'] }, { type: 'text', parts: ['The', ' answer', ' is 4.'] }]);
await run({ name: '6e thinking block, cut inside thinking (not rescued: must be visible)', params: { ...params, thinking: { type: 'enabled', budget_tokens: 1024 } }, primaryRaw: th, cutAt: eventEnd(th, '" let me"'), backupExtra: { continuation: 'anthropic' }, backup: () => ({ raw: th.replaceAll('msg_p', 'msg_b') }), expect: visible });
await run({ name: '6f thinking then text, cut inside text (not rescued: must be visible)', params: { ...params, thinking: { type: 'enabled', budget_tokens: 1024 } }, primaryRaw: th, cutAt: eventEnd(th, '" answer"'), backup: () => ({ raw: th.replaceAll('msg_p', 'msg_b') }), expect: visible });
// tool_use with input_json_delta
const tools = [{ name: 'get_weather', description: 'w', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
const tu = message('msg_p', [{ type: 'text', parts: ['Let me', ' check.'] }, { type: 'tool_use', name: 'get_weather', parts: ['{"ci', 'ty": "Pa', 'ris"}'] }], 'tool_use');
await run({ name: '6g tool_use, cut inside input_json_delta (not rescued: visible)', params: { ...params, tools }, primaryRaw: tu, cutAt: eventEnd(tu, 'ty\\": \\"Pa'), backup: () => ({ raw: tu.replaceAll('msg_p', 'msg_b') }), expect: visible });
// text then tool_use: cut at the end of the text block (before its content_block_stop); continuation answers with a tool_use block directly
await run({ name: '6h text then tool_use; cut after last text delta (block open); continuation starts with tool_use block', params: { ...params, tools }, primaryRaw: tu, cutAt: eventEnd(tu, '" check."'), backupExtra: { continuation: 'anthropic' },
  backup: (body) => ({ raw: body.messages.at(-1).role === 'assistant' ? message('msg_b', [{ type: 'tool_use', name: 'get_weather', parts: ['{"city": "Paris"}'] }], 'tool_use') : tu.replaceAll('msg_p', 'msg_b') }),
  expect: (s, error, final) => {
    if (error) return `error ${error}`;
    const bad = s.blocks.find((b) => b.mismatch || b.type === '??orphan');
    if (bad) return `block ${JSON.stringify(bad)}`;
    const idx = s.blocks.map((b) => b.index);
    if (new Set(idx).size !== idx.length) return `block index reused: ${JSON.stringify(s.blocks)}; finalMessage ${JSON.stringify(final?.content)}`;
    return true;
  }, hows: ['reset'] });
// caller's own prefill in a Messages request, continue
await run({ name: '6i caller prefill (assistant last), continue (anthropic)', params: { ...params, messages: [{ role: 'user', content: 'hello' }, { role: 'assistant', content: 'Sure:' }] }, primaryRaw: tt, cutAt: eventEnd(tt, '" block"', 2), backupExtra: { continuation: 'anthropic' }, backup: contBackup(twoText),
  expect: (s, error) => 'see backup asked (inspect)', hows: ['reset'] });
