// createFetch relays an upstream response header that quotes the endpoint's key verbatim (the gateway redacts it).
import { createRequire } from 'node:module';
import { createFetch } from '../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { withGateway, base } from './repro-common.mjs';
const require = createRequire(new URL('../packages/node/package.json', import.meta.url));
const OpenAI = (await import(require.resolve('openai'))).default;
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
for (const [label, plan] of [
  ['500 error', { ...base, status: 500, shape: 'oaiError', ctype: 'application/json', etype: 'server_error', code: null, msg: 'boom', echoKeyHeader: true }],
  ['400 error', { ...base, status: 400, shape: 'oaiError', ctype: 'application/json', etype: 'invalid_request_error', code: 'invalid_value', msg: 'bad', echoKeyHeader: true }],
  ['200 answer', { ...base, status: 200, shape: 'json', ctype: 'application/json', echoKeyHeader: true }],
  ['200 answer, key in x-request-id', { ...base, status: 200, shape: 'json', ctype: 'application/json', extraHeaders: [['x-request-id', '$KEY']] }],
]) {
  const up = await startUpstream(); up.reset([[plan]]);
  const fetch = createFetch({ endpoints: [{ name: 'e0', baseUrl: up.base(0), apiKey: keyFor(0) }], deadlineMs: 3000 });
  const sdk = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  let headers;
  try { const { response } = await sdk.chat.completions.create(body).withResponse(); headers = response.headers; } catch (e) { headers = e.headers; }
  const seen = [...headers].filter(([, v]) => v.includes('SECRET'));
  console.log(`createFetch ${label}: headers quoting the key: ${JSON.stringify(seen)}`);
  await up.close();
  const { res } = await withGateway([[plan]], body);
  console.log(`gateway     ${label}: headers quoting the key: ${JSON.stringify(Object.entries(res.headers).filter(([, v]) => String(v).includes('SECRET')))}  (x-upstream-debug=${res.headers['x-upstream-debug']}, x-request-id=${res.headers['x-request-id']})`);
}
process.exit(0);
