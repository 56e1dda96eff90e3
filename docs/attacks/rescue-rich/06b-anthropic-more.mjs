// Case 6 (more): Messages text then tool_use, replay and continuation that goes on into a tool_use block; continue after a closed block.
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
const tools = [{ name: 'get_weather', description: 'w', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
const tu = message('msg_p', [{ type: 'text', parts: ['Let me', ' check', ' the weather.'] }, { type: 'tool_use', name: 'get_weather', parts: ['{"ci', 'ty": "Pa', 'ris"}'] }], 'tool_use');
const whole = (s, error, final) => {
  if (error) return `error ${error}`;
  const got = JSON.stringify(final?.content?.map((b) => (b.type === 'text' ? `text:${b.text}` : `${b.type}:${b.name}:${JSON.stringify(b.input)}`)));
  const want = JSON.stringify(['text:Let me check the weather.', 'tool_use:get_weather:{"city":"Paris"}']);
  return got === want ? true : `finalMessage ${got}`;
};
await run({ name: '6j text then tool_use, cut in text, replay', params: { ...params, tools }, primaryRaw: tu, cutAt: eventEnd(tu, '" check"'), backup: () => ({ raw: tu.replaceAll('msg_p', 'msg_b') }), expect: whole });
await run({ name: '6k text then tool_use, cut in text, continuation continues text then tool_use', params: { ...params, tools }, primaryRaw: tu, cutAt: eventEnd(tu, '" check"'), backupExtra: { continuation: 'anthropic' },
  backup: (body) => ({ raw: body.messages.at(-1).role === 'assistant' ? message('msg_b', [{ type: 'text', parts: [' the weather.'] }, { type: 'tool_use', name: 'get_weather', parts: ['{"city": "Paris"}'] }], 'tool_use') : tu }), expect: whole });
await run({ name: '6l text block closed, cut before message_delta; continuation answers a tool_use block', params: { ...params, tools }, primaryRaw: tu, cutAt: eventEnd(tu, '"content_block_stop","index":0'), backupExtra: { continuation: 'anthropic' },
  backup: (body) => ({ raw: body.messages.at(-1).role === 'assistant' ? message('msg_b', [{ type: 'tool_use', name: 'get_weather', parts: ['{"city": "Paris"}'] }], 'tool_use') : tu }), expect: whole, hows: ['close'] });
