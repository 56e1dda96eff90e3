// Repro: upstream sends a whole Responses stream but its final blank-line "\n" arrives as a separate last write.
// Detour drops that byte; the openai SDK then never dispatches response.completed and ends the iterator cleanly.
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { start, sse, events } from './upstream.mjs';
const all = events('resp_A').join('');
const split = Number(process.argv[2] ?? 1); // how many trailing bytes go in the last write
const A = await start((req, r) => { sse(r); r.write(all.slice(0, -split)); setTimeout(() => r.end(all.slice(-split)), 30); });
const fetch = createFetch({ endpoints: [{ name: 'A', baseUrl: A.url, apiKey: 'a', provider: 'openai' }] });
const raw = await fetch('http://x/v1/responses', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4.1', input: 'hi', stream: true }) });
let got = ''; for await (const c of raw.body) got += Buffer.from(c).toString();
console.log(`raw: sent ${all.length} bytes, caller got ${got.length}; tail=${JSON.stringify(got.slice(-6))}`);
const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
const types = []; let threw = null;
try { for await (const e of await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true })) types.push(e.type); } catch (e) { threw = e.message; }
console.log('openai SDK: last event =', types.at(-1), '| threw =', threw);
try { const fin = await client.responses.stream({ model: 'gpt-4.1', input: 'hi' }).finalResponse(); console.log('responses.stream().finalResponse():', fin.status, fin.output_text); } catch (e) { console.log('responses.stream().finalResponse() threw:', e.message); }
A.srv.close(); process.exit(0);
