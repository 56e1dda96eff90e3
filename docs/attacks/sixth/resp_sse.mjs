// Responses API SSE builders
export function respObj(id, status, output = [], extra = {}) {
  return { id, object: 'response', created_at: 1700000000, status, model: 'gpt-4.1', output, usage: status === 'in_progress' ? null : { input_tokens: 5, output_tokens: 7, total_tokens: 12, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } }, ...extra };
}
export function* fnCallEvents(id, args = '{"city":"Paris","unit":"c"}', pieces = 4) {
  let seq = 0;
  yield ['response.created', { type: 'response.created', sequence_number: seq++, response: respObj(id, 'in_progress') }];
  const item = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '', status: 'in_progress' };
  yield ['response.output_item.added', { type: 'response.output_item.added', sequence_number: seq++, output_index: 0, item }];
  const step = Math.ceil(args.length / pieces);
  for (let i = 0; i < args.length; i += step) yield ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', sequence_number: seq++, item_id: 'fc_1', output_index: 0, delta: args.slice(i, i + step) }];
  yield ['response.function_call_arguments.done', { type: 'response.function_call_arguments.done', sequence_number: seq++, item_id: 'fc_1', output_index: 0, arguments: args }];
  const done = { ...item, arguments: args, status: 'completed' };
  yield ['response.output_item.done', { type: 'response.output_item.done', sequence_number: seq++, output_index: 0, item: done }];
  yield ['TERMINAL', seq];
  return done;
}
export function* textEvents(id, text = 'Héllo wörld 😀 done.') {
  let seq = 0;
  yield ['response.created', { type: 'response.created', sequence_number: seq++, response: respObj(id, 'in_progress') }];
  const item = { type: 'message', id: 'msg_1', role: 'assistant', status: 'in_progress', content: [] };
  yield ['response.output_item.added', { type: 'response.output_item.added', sequence_number: seq++, output_index: 0, item }];
  yield ['response.content_part.added', { type: 'response.content_part.added', sequence_number: seq++, item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }];
  for (const w of text.match(/.{1,4}/gu)) yield ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: seq++, item_id: 'msg_1', output_index: 0, content_index: 0, delta: w }];
  yield ['response.output_text.done', { type: 'response.output_text.done', sequence_number: seq++, item_id: 'msg_1', output_index: 0, content_index: 0, text }];
  yield ['TERMINAL', seq];
}
export const sseLine = (e, d) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`;
