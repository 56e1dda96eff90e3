// Lying Responses upstream. Scenario chosen per-endpoint via path prefix /X/<scenario>/v1/responses
import http from 'node:http';
export const ev = (type, obj, seq) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq, ...obj })}\n\n`;
const resp = (id, status, extra = {}) => ({ id, object: 'response', created_at: 1, status, model: 'gpt-4.1', output: [], usage: null, ...extra });
export function events(id, { text = ['Hel', 'lo ', 'world'], tool = false } = {}) {
  const out = []; let s = 0;
  out.push(ev('response.created', { response: resp(id, 'in_progress') }, s++));
  out.push(ev('response.in_progress', { response: resp(id, 'in_progress') }, s++));
  if (tool) {
    out.push(ev('response.output_item.added', { output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get', arguments: '', status: 'in_progress' } }, s++));
    for (const d of ['{"ci', 'ty":"Pa', 'ris"}']) out.push(ev('response.function_call_arguments.delta', { output_index: 0, item_id: 'fc_1', delta: d }, s++));
    out.push(ev('response.function_call_arguments.done', { output_index: 0, item_id: 'fc_1', arguments: '{"city":"Paris"}' }, s++));
    out.push(ev('response.output_item.done', { output_index: 0, item: { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get', arguments: '{"city":"Paris"}', status: 'completed' } }, s++));
    out.push(ev('response.completed', { response: resp(id, 'completed', { output: [{ type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get', arguments: '{"city":"Paris"}', status: 'completed' }], usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 } }) }, s++));
    return out;
  }
  out.push(ev('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_1', role: 'assistant', status: 'in_progress', content: [] } }, s++));
  out.push(ev('response.content_part.added', { output_index: 0, item_id: 'msg_1', content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }, s++));
  for (const d of text) out.push(ev('response.output_text.delta', { output_index: 0, item_id: 'msg_1', content_index: 0, delta: d, logprobs: [] }, s++));
  const full = text.join('');
  out.push(ev('response.output_text.done', { output_index: 0, item_id: 'msg_1', content_index: 0, text: full, logprobs: [] }, s++));
  out.push(ev('response.content_part.done', { output_index: 0, item_id: 'msg_1', content_index: 0, part: { type: 'output_text', text: full, annotations: [] } }, s++));
  const item = { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: full, annotations: [] }] };
  out.push(ev('response.output_item.done', { output_index: 0, item }, s++));
  out.push(ev('response.completed', { response: resp(id, 'completed', { output: [item], usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 15 } }) }, s++));
  return out;
}
export function start(handler) {
  return new Promise((res) => {
    const seen = [];
    const srv = http.createServer((req, rsp) => {
      let body = ''; req.on('data', (c) => (body += c)); req.on('end', () => { seen.push({ method: req.method, url: req.url, body }); handler(req, rsp, body, seen); });
    });
    srv.listen(0, '127.0.0.1', () => res({ srv, seen, url: `http://127.0.0.1:${srv.address().port}/v1` }));
  });
}
export function sse(rsp) { rsp.writeHead(200, { 'content-type': 'text/event-stream' }); }
