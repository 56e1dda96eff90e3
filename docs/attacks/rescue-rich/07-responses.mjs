// Case 7: Responses API stream cut mid-answer (reset, clean close, error-less garbled), via gateway and createFetch.
import { hardStop, upstream, gateway, detourFetch, endpointsFor, OpenAI, show } from './lib.mjs';
hardStop(120000);

const ev = (type, extra) => `event: ${type}\ndata: ${JSON.stringify({ type, ...extra })}\n\n`;
const resp = (id, status = 'in_progress', output = []) => ({ id, object: 'response', created_at: 1, status, model: 'gpt-4.1', output, usage: null });
const words = ['Hello', ' from', ' the', ' responses', ' API', ' 日本'];
const raw = (id) => [
  ev('response.created', { response: resp(id), sequence_number: 0 }),
  ev('response.in_progress', { response: resp(id), sequence_number: 1 }),
  ev('response.output_item.added', { output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] }, sequence_number: 2 }),
  ev('response.content_part.added', { output_index: 0, item_id: 'msg_1', content_index: 0, part: { type: 'output_text', text: '', annotations: [] }, sequence_number: 3 }),
  ...words.map((w, i) => ev('response.output_text.delta', { output_index: 0, item_id: 'msg_1', content_index: 0, delta: w, sequence_number: 4 + i })),
  ev('response.output_text.done', { output_index: 0, item_id: 'msg_1', content_index: 0, text: words.join(''), sequence_number: 20 }),
  ev('response.completed', { response: resp(id, 'completed', [{ id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: words.join(''), annotations: [] }] }]), sequence_number: 21 }),
].join('');
const R = raw('resp_p');
const cuts = { 'after " the" delta': R.indexOf('\n\n', R.indexOf('" the"')) + 2, 'inside 日 (multi-byte)': Buffer.byteLength(R.slice(0, R.indexOf('日'))) + 1, 'mid-event JSON': Buffer.byteLength(R.slice(0, R.indexOf('" API"') + 3)) };
for (const [cutName, cutAt] of Object.entries(cuts)) for (const how of ['reset', 'close']) for (const via of ['gateway', 'createFetch']) {
  const primary = await upstream('primary', (b, n) => (n === 1 ? { raw: R, cutAt, how } : { raw: R }));
  const backup = await upstream('backup', () => ({ raw: raw('resp_b') }));
  const endpoints = endpointsFor([primary, backup]);
  let client; let closeGw = async () => {};
  if (via === 'gateway') { const g = await gateway(endpoints); closeGw = g.close; client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0, timeout: 20000 }); }
  else { const d = detourFetch(endpoints); client = new OpenAI({ baseURL: 'http://detour.invalid/v1', apiKey: 'unused', fetch: d.fetch, maxRetries: 0, timeout: 20000 }); }
  const types = []; let text = ''; let error; const t0 = Date.now();
  try {
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true });
    for await (const e of stream) { types.push(e.type); if (e.type === 'response.output_text.delta') text += e.delta; }
  } catch (e) { error = `${e.constructor?.name}: ${String(e.message).slice(0, 300)}`; }
  console.log(`\n--- 7 responses cut ${cutName} | cut=${how} | via=${via} | ${Date.now() - t0} ms`);
  show('text', text); show('last events', types.slice(-3)); show('error', error ?? 'none'); show('requests primary/backup', `${primary.bodies.length}/${backup.bodies.length}`);
  const completed = types.includes('response.completed');
  console.log(error ? 'VERDICT: HELD (visible error)' : completed ? 'VERDICT: HELD (whole)' : `VERDICT: FAIL -- clean end without response.completed, text ${JSON.stringify(text)}`);
  await closeGw(); await primary.close(); await backup.close();
}
