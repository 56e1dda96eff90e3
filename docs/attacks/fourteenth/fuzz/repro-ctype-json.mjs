// A valid chat completion sent with a missing or non-JSON Content-Type: Detour serves it as a success, and the
// openai SDK (which parses only application/json) hands the caller a string instead of a ChatCompletion.
import { createRequire } from 'node:module';
import http from 'node:http';
import { createFetch } from '../packages/node/dist/index.js';
import { startUpstream, keyFor } from './upstream.mjs';
import { withGateway, base, gatewayKey } from './repro-common.mjs';
import { loadConfig, startGateway } from '../apps/worker/dist/index.js';
const require = createRequire(new URL('../packages/node/package.json', import.meta.url));
const OpenAI = (await import(require.resolve('openai'))).default;
for (const ctype of [undefined, 'text/plain', 'text/html', 'application/octet-stream']) {
  const up = await startUpstream();
  up.reset([[{ ...base, shape: 'json', ctype }], [{ ...base, shape: 'json', ctype: 'application/json' }]]);
  const fetch = createFetch({ endpoints: [0, 1].map((i) => ({ name: `e${i}`, baseUrl: up.base(i), apiKey: keyFor(i) })), deadlineMs: 3000 });
  const sdk = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
  const r = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  console.log(`createFetch: upstream e0 200 valid completion, content-type ${ctype} -> SDK returned ${typeof r}${typeof r === 'string' ? ` (${r.slice(0, 40)}…)` : ''}; r.choices=${typeof r?.choices}; upstream requests ${JSON.stringify(up.state.requests.map((q) => q.ep))}`);
  await up.close();
  // through the gateway
  const up2 = await startUpstream();
  up2.reset([[{ ...base, shape: 'json', ctype }], [{ ...base, shape: 'json', ctype: 'application/json' }]]);
  const config = loadConfig({ endpoints: [0, 1].map((i) => ({ name: `e${i}`, baseUrl: up2.base(i), apiKey: keyFor(i) })), gatewayKeys: [gatewayKey], router: { deadlineMs: 3000 } }, {});
  const gw = await startGateway({ config });
  const sdk2 = new OpenAI({ apiKey: gatewayKey, baseURL: `${gw.url}/v1`, maxRetries: 0 });
  const { data, response } = await sdk2.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  console.log(`gateway:     same upstream -> caller content-type ${response.headers.get('content-type')}; SDK returned ${typeof data}; data.choices=${typeof data?.choices}`);
  await gw.close(0); await up2.close();
}
process.exit(0);
