// openai SDK (default maxRetries: 2) and Anthropic SDK over createFetch: upstream requests per SDK call
import { createRequire } from 'node:module';
const require = createRequire('/work/main/packages/node/package.json');
const { default: OpenAI } = await import(require.resolve('openai'));
const { default: Anthropic } = await import(require.resolve('@anthropic-ai/sdk'));
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const F = process.env.F ?? '503';
const faults = { '503': { type: 'status', status: 503 }, '529': { type: 'status', status: 529 }, '500': { type: 'status', status: 500 },
  '429': { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1000 }, '429a': { type: 'rate-limit', dialect: 'anthropic', retryAfterMs: 1000 }, 'reset': { type: 'reset' }, 'hang': { type: 'hang' } };
const ups = await Promise.all([0,1].map(i => startChaosUpstream({ name: 'u'+i, script: [{ fault: faults[F] }] })));
const fetchD = createFetch({ endpoints: [
  ...ups.map(u => ({ name: u.name, baseUrl: u.baseUrl, apiKey: 'k' })),
  ...ups.map(u => ({ name: 'a'+u.name, baseUrl: u.baseUrl, apiKey: 'k', provider: 'anthropic' })) ], deadlineMs: +(process.env.DL ?? 8000) });
const seen = [];
const spy = async (url, init) => { const r = await fetchD(url, init); seen.push({ status: r.status, xsr: r.headers.get('x-should-retry'), ra: r.headers.get('retry-after'), err: r.headers.get('x-detour-error') }); return r; };
const openai = new OpenAI({ apiKey: 'unused', fetch: spy, timeout: 20000 }); // default maxRetries 2
const t0 = Date.now(); let out;
try { await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }); out='ok'; } catch (e) { out = `${e.constructor.name} status=${e.status}`; }
const upOpenAI = ups.reduce((a,u)=>a+u.stats().total,0);
console.log(JSON.stringify({ F, sdk: 'openai', result: out, ms: Date.now()-t0, sdkCallsToFetch: seen.length, upstream: upOpenAI, responses: seen }));
seen.length = 0; ups.forEach(u=>u.resetStats());
await new Promise(r=>setTimeout(r, 3000));
const claude = new Anthropic({ apiKey: 'unused', fetch: spy, timeout: 20000 });
const t1 = Date.now();
try { await claude.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }); out='ok'; } catch (e) { out = `${e.constructor.name} status=${e.status}`; }
console.log(JSON.stringify({ F, sdk: 'anthropic', result: out, ms: Date.now()-t1, sdkCallsToFetch: seen.length, upstream: ups.reduce((a,u)=>a+u.stats().total,0), responses: seen }));
await Promise.all(ups.map(u=>u.close())); process.exit(0);
