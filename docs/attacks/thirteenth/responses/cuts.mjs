// Cut / lie at each Responses event boundary; A lies, B is good. Checks what the openai SDK sees via createFetch.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events, ev } from './upstream.mjs';
const scenarios = {};
const base = events('resp_A');
for (let i = 0; i <= base.length; i++) scenarios['cut' + i] = (rsp) => { sse(rsp); rsp.write(base.slice(0, i).join('')); rsp.destroy(); };
for (let i = 1; i < base.length; i++) scenarios['mid' + i] = (rsp) => { sse(rsp); const s = base.slice(0, i).join('') + base[i].slice(0, 40); rsp.write(s); setTimeout(() => rsp.destroy(), 20); };
for (let i = 1; i < base.length; i++) scenarios['endclean' + i] = (rsp) => { sse(rsp); rsp.end(base.slice(0, i).join('')); };
const failed = ev('response.failed', { response: { id: 'resp_A', status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] } }, 99);
const incomplete = ev('response.incomplete', { response: { id: 'resp_A', status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] } }, 99);
const errorEv = ev('error', { code: 'server_error', message: 'boom', param: null }, 99);
const complFailed = ev('response.completed', { response: { id: 'resp_A', status: 'failed', error: { code: 'server_error', message: 'x' }, output: [] } }, 99);
const complIncomplete = ev('response.completed', { response: { id: 'resp_A', status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] } }, 99);
scenarios.failedMid = (r) => { sse(r); r.end(base.slice(0, 6).join('') + failed); };
scenarios.incompleteMid = (r) => { sse(r); r.end(base.slice(0, 6).join('') + incomplete); };
scenarios.errorMid = (r) => { sse(r); r.end(base.slice(0, 6).join('') + errorEv); };
scenarios.errorMidThenClose = (r) => { sse(r); r.end(base.slice(0, 6).join('') + errorEv + base.slice(6).join('')); };
scenarios.complStatusFailed = (r) => { sse(r); r.end(base.slice(0, 6).join('') + complFailed); };
scenarios.complStatusIncomplete = (r) => { sse(r); r.end(base.slice(0, 6).join('') + complIncomplete); };
scenarios.failedFirst = (r) => { sse(r); r.end(failed); };
scenarios.errorFirst = (r) => { sse(r); r.end(errorEv); };
scenarios.incompleteFirst = (r) => { sse(r); r.end(incomplete); };
scenarios.json200err = (r) => { r.writeHead(200, { 'content-type': 'application/json' }); r.end(JSON.stringify({ error: { message: 'quota', type: 'server_error' } })); };
scenarios.empty200 = (r) => { sse(r); r.end(); };
scenarios.dataNoType = (r) => { sse(r); r.end('data: {"foo":1}\n\n'); };
scenarios.completedNoLF = (r) => { sse(r); r.end(base.join('').slice(0, -2)); };
scenarios.completedFirstOnly = (r) => { sse(r); r.end(base[base.length - 1]); };
scenarios.outOfOrder = (r) => { sse(r); r.end([base[0], base[5], base[2], base[3], base[4], ...base.slice(6)].join('')); };
scenarios.dupSeq = (r) => { sse(r); r.end(base.map((e) => e.replace(/"sequence_number":\d+/, '"sequence_number":1')).join('')); };
const late = (tail) => (r) => { sse(r); r.write(base.slice(0, 6).join('')); setTimeout(() => r.end(tail), 50); };
scenarios.lateFailed = late(failed); scenarios.lateIncomplete = late(incomplete); scenarios.lateError = late(errorEv);
scenarios.lateComplFailed = late(complFailed);
scenarios.lateErrorThenRest = late(errorEv + base.slice(6).join(''));
scenarios.lateDataNoType = late('data: {"foo":1}\n\n');
scenarios.stallAfterCreated = (r) => { sse(r); r.write(base[0]); };
scenarios.dripBytes = (r) => { sse(r); const all = base.join(''); let i = 0; const t = setInterval(() => { if (i >= all.length) { clearInterval(t); r.end(); return; } r.write(all.slice(i, i + 50)); i += 50; }, 2); };
let current = 'cut0';
const A = await start((req, rsp) => scenarios[current](rsp));
const good = events('resp_B', { text: ['GOOD ', 'answer'] });
const B = await start((req, rsp) => { sse(rsp); rsp.end(good.join('')); });
const mk = () => createFetch({ endpoints: [
  { name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai', priority: 0 },
  { name: 'B', baseUrl: B.url, apiKey: 'b', provider: 'openai', priority: 1 } ] });
const only = process.argv[2] ? process.argv.slice(2) : Object.keys(scenarios);
for (const name of only) {
  current = name; const fetch = mk(); const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0, timeout: 5000 }); A.seen.length = 0; B.seen.length = 0;
  let text = '', types = [], outcome = 'clean-end', hdr = '', seqs = [];
  try {
    const { data: s, response } = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true }).withResponse();
    hdr = response.headers.get('x-detour-endpoint');
    for await (const e of s) { types.push(String(e.type).replace('response.', '')); seqs.push(e.sequence_number); if (e.type === 'response.output_text.delta') text += e.delta; }
  } catch (e) { outcome = 'THROW ' + (e.constructor.name) + ': ' + String(e.message).slice(0, 80); }
  const last = types[types.length - 1];
  const flag = outcome === 'clean-end' && !['completed'].includes(last) ? '  <<< CLEAN END WITHOUT completed' : '';
  console.log(`${name.padEnd(22)} ep=${hdr} A=${A.seen.length} B=${B.seen.length} text=${JSON.stringify(text)} last=${last} ${outcome}${flag}`);
}
A.srv.close(); B.srv.close(); process.exit(0);
