export const streamCases = ({ sse, chunk, ev, sleep }) => [
  { name: 'openrouter-midstream-error-then-DONE', provider: 'openrouter', expect: 'caller must not see a clean end (error or rescued)',
    a: async (q, s) => { sse(s); s.write(': OPENROUTER PROCESSING\n\n'); s.write(chunk('A1 ')); s.write(chunk('A2 ')); await sleep(50);
      s.write(`data: ${JSON.stringify({ id: 'cmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'm', provider: 'openai', error: { code: 'server_error', message: 'Provider disconnected unexpectedly' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] })}\n\n`); s.end('data: [DONE]\n\n'); } },
  { name: 'openrouter-error-chunk-before-content', provider: 'openrouter', expect: 'nothing delivered: transparent failover to b',
    a: async (q, s) => { sse(s); s.write(': OPENROUTER PROCESSING\n\n'); await sleep(50);
      s.write(`data: ${JSON.stringify({ id: 'cmpl-abc', object: 'chat.completion.chunk', created: 1, model: 'm', provider: 'Chutes', error: { code: 502, message: 'Provider returned error', metadata: { raw: 'upstream 502', provider_name: 'Chutes' } }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] })}\n\n`); s.end('data: [DONE]\n\n'); } },
  { name: 'openrouter-keepalive-before-first-token', provider: 'openrouter', router: { firstByteTimeoutMs: 1000 }, expect: 'comments for 2.5s then content: either wait (comments = liveness) or fail over; record which',
    a: async (q, s) => { sse(s); for (let i = 0; i < 5; i++) { s.write(': OPENROUTER PROCESSING\n\n'); await sleep(500); } s.write(chunk('A1')); s.write(chunk(null, 'stop')); s.end('data: [DONE]\n\n'); } },
  { name: 'openai-error-event-first', provider: 'openai', expect: 'nothing delivered: transparent failover to b',
    a: async (q, s) => { sse(s); s.end(`data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } })}\n\n`); } },
  { name: 'azure-content-filter-stream', provider: 'azure', expect: 'clean end with finish_reason content_filter, 1 attempt, no rescue',
    a: async (q, s) => { sse(s); s.write(`data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] })}\n\n`); s.write(chunk('A1 ')); s.write(`data: ${JSON.stringify({ id: 'chatcmpl-a', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'content_filter', content_filter_results: { violence: { filtered: true, severity: 'high' } } }] })}\n\n`); s.end('data: [DONE]\n\n'); } },
  { name: 'deepseek-nonstream-blank-lines', provider: 'deepseek', api: 'raw', router: { firstByteTimeoutMs: 1000 }, expect: 'JSON body after blank lines is served; cost read',
    a: async (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); for (let i = 0; i < 5; i++) { s.write('\n'); await sleep(400); } s.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'A-OK' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13, prompt_cache_hit_tokens: 0, prompt_cache_miss_tokens: 10 } })); } },
  { name: 'deepseek-stream-keepalive', provider: 'deepseek', router: { firstByteTimeoutMs: 1000 }, expect: 'keep-alive comments then content',
    a: async (q, s) => { sse(s); for (let i = 0; i < 5; i++) { s.write(': keep-alive\n\n'); await sleep(400); } s.write(chunk('A1')); s.write(chunk(null, 'stop')); s.write(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } })}\n\n`); s.end('data: [DONE]\n\n'); } },
  { name: 'anthropic-error-after-content', provider: 'anthropic', api: 'messages', expect: 'not a clean end: error or rescue',
    a: async (q, s) => { sse(s); s.write(ev('message_start', { type: 'message_start', message: { id: 'msg_a', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } })); s.write(ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })); s.write(ev('ping', { type: 'ping' })); s.write(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'A1 ' } })); await sleep(50); s.end(ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })); } },
  { name: 'anthropic-error-after-message_start', provider: 'anthropic', api: 'messages', expect: 'only message_start sent: transparent failover',
    a: async (q, s) => { sse(s); s.write(ev('message_start', { type: 'message_start', message: { id: 'msg_a', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } })); s.write(ev('ping', { type: 'ping' })); await sleep(50); s.end(ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })); } },
  { name: 'responses-incomplete-content_filter', provider: 'openai', api: 'responses', expect: 'provider filter verdict: caller gets response.incomplete (no replay elsewhere)',
    a: async (q, s) => { sse(s); const r = { id: 'resp_a', object: 'response', created_at: 1, status: 'in_progress', model: 'm', output: [] };
      s.write(ev('response.created', { type: 'response.created', sequence_number: 0, response: r }));
      s.write(ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'A1 ' }));
      s.end(ev('response.incomplete', { type: 'response.incomplete', sequence_number: 2, response: { ...r, status: 'incomplete', incomplete_details: { reason: 'content_filter' }, usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 } } })); },
    b: async (q, s) => { sse(s); const r = { id: 'resp_b', object: 'response', created_at: 1, status: 'in_progress', model: 'm', output: [] };
      s.write(ev('response.created', { type: 'response.created', sequence_number: 0, response: r }));
      s.write(ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'B-UNFILTERED' }));
      s.end(ev('response.completed', { type: 'response.completed', sequence_number: 2, response: { ...r, status: 'completed', usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 } } })); } },
];
export const moreStreamCases = ({ sse, chunk, ev, sleep }) => [
  { name: 'openrouter-finish-error-no-payload-first', provider: 'openrouter', expect: 'nothing usable delivered, finish_reason error: fail over to b (or at least not count as success)',
    a: async (q, s) => { sse(s); s.write(`data: ${JSON.stringify({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'google/gemini-2.5-flash', provider: 'Google', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, native_finish_reason: null }] })}\n\n`);
      s.write(`data: ${JSON.stringify({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'google/gemini-2.5-flash', provider: 'Google', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: 'error', native_finish_reason: 'MALFORMED_FUNCTION_CALL' }] })}\n\n`);
      s.write(`data: ${JSON.stringify({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'google/gemini-2.5-flash', provider: 'Google', choices: [], usage: { prompt_tokens: 10, completion_tokens: 0, total_tokens: 10 } })}\n\n`); s.end('data: [DONE]\n\n'); } },
  { name: 'responses-nonstream-incomplete-content_filter', provider: 'openai', api: 'raw-responses', expect: 'returned as is (1 attempt)',
    a: (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ id: 'resp_a', object: 'response', created_at: 1, status: 'incomplete', incomplete_details: { reason: 'content_filter' }, model: 'm', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'A1 ', annotations: [] }] }], usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 } })); },
    b: (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(JSON.stringify({ id: 'resp_b', object: 'response', created_at: 1, status: 'completed', model: 'm', output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'B-UNFILTERED', annotations: [] }] }], usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 } })); } },
];
export const filterCases = ({ sse, ev, sleep }) => {
  const resp = (id, status, extra, deltas, gap) => async (q, s) => { sse(s); const r = { id, object: 'response', created_at: 1, status: 'in_progress', model: 'm', output: [] };
    s.write(ev('response.created', { type: 'response.created', sequence_number: 0, response: r }));
    s.write(ev('response.output_item.added', { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] } }));
    let n = 2; for (const d of deltas) { s.write(ev('response.output_text.delta', { type: 'response.output_text.delta', sequence_number: n++, item_id: 'msg_1', output_index: 0, content_index: 0, delta: d })); await sleep(gap); }
    s.end(ev(status === 'completed' ? 'response.completed' : 'response.incomplete', { type: status === 'completed' ? 'response.completed' : 'response.incomplete', sequence_number: n, response: { ...r, status, ...extra, usage: { input_tokens: 10, output_tokens: deltas.length, total_tokens: 10 + deltas.length } } })); };
  return [
    { name: 'responses-filter-cut-midway-replay', provider: 'openai', api: 'responses', expect: 'the content filter cut must reach the caller; no replay that continues past it',
      a: resp('resp_a', 'incomplete', { incomplete_details: { reason: 'content_filter' } }, ['Step 1. ', 'Step 2. '], 150),
      b: resp('resp_b', 'completed', {}, ['Step 1. ', 'Step 2. ', 'FILTERED-PART'], 5) },
  ];
};
