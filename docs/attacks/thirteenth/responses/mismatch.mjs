// Event-name vs data-type mismatches and data-only events after commit.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const base = events('resp_A'); const head = base.slice(0, 6).join('');
const failedData = JSON.stringify({ type: 'response.failed', sequence_number: 50, response: { id: 'resp_A', status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] } });
const complData = JSON.stringify({ type: 'response.completed', sequence_number: 50, response: { id: 'resp_A', status: 'completed', output: [], usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 } } });
const sc = {
  nameCompleted_dataFailed: `event: response.completed\ndata: ${failedData}\n\n`,
  nameFailed_dataCompleted: `event: response.failed\ndata: ${complData}\n\n`,
  dataOnlyFailed: `data: ${failedData}\n\n`,
  dataOnlyError: `data: {"type":"error","code":"server_error","message":"boom","sequence_number":50}\n\n`,
  nameDelta_dataCompleted: `event: response.output_text.delta\ndata: ${complData}\n\n`,
  crlfCompleted: `event: response.completed\r\ndata: ${complData}\r\n\r\n`,
  crOnlyCompleted: `event: response.completed\rdata: ${complData}\r\r`,
};
let cur; const A = await start((req, r) => { sse(r); r.write(head); setTimeout(() => r.end(sc[cur]), 30); });
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a' }] });
const c = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
for (cur of Object.keys(sc)) { let last, threw = null; try { for await (const e of await c.responses.create({ model: 'm', input: 'hi', stream: true })) last = e.type; } catch (e) { threw = e.constructor.name + ': ' + e.message.slice(0, 70); } console.log(cur.padEnd(26), 'SDK last=', last, '| threw=', threw); }
A.srv.close(); process.exit(0);
