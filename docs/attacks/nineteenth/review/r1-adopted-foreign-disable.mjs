// F1: a member whose local view adopted another credential's disable never adopts its OWN credential's disable
// from the fleet (adoptFleetState keeps "a live local disable against another credential's", without knowing the
// local one was itself foreign). So each member on the new key sends the failing key once more.
import { createRouter } from '/tmp/review19/repo/packages/core/dist/index.js';
import { createRedisStore } from '/tmp/review19/repo/packages/redis/dist/index.js';
const url = 'redis://127.0.0.1:6421';
const prefix = `r1-${Date.now()}:`;
const calls = [];
const transport = async (request) => {
  const key = request.headers.authorization ?? request.headers.Authorization;
  calls.push(key);
  const body = key === 'Bearer sk-old'
    ? { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } }
    : { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } };
  const status = key === 'Bearer sk-old' ? 401 : 429;
  return { status, headers: { 'content-type': 'application/json' }, body: (async function* () { yield new TextEncoder().encode(JSON.stringify(body)); })(), cancel() {} };
};
const chat = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }) };
const stores = [];
const member = async (apiKey) => {
  const store = createRedisStore({ url, prefix, refreshMs: 100 });
  stores.push(store);
  await store.ready;
  return createRouter({ endpoints: [{ name: 'openai', baseUrl: 'https://api.openai.example/v1', apiKey }], maxAttempts: 1 }, { transport, store });
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const attempt = async (router) => { try { await router.send(chat); return 'ok'; } catch (e) { return e.code ?? e.name; } };

const a = await member('sk-old');
const b1 = await member('sk-new');
const b2 = await member('sk-new');
if (!process.env.CONTROL) console.log('A (old key) send:', await attempt(a)); else console.log('control: A does not send');
await sleep(400);
console.log('B1 (new key, unfunded) send:', await attempt(b1));
await sleep(400);
const before = calls.length;
console.log('B2 (new key) send after B1 disabled the new key for the fleet:', await attempt(b2));
const sent = calls.length - before;
console.log(`B2 sent ${sent} request(s) upstream; expected 0 (the fleet holds the new key's disable)`);
console.log(sent > 0 ? 'DEFECT REPRODUCED' : 'held');
for (const s of stores) await s.close();
process.exit(0);
