// Vercel ai generateText (default maxRetries 2) over createFetch with every endpoint failing: upstream requests per call, error surfaced
import { createRequire } from 'node:module';
const require = createRequire('/work/main/packages/node/package.json');
const { createOpenAI } = await import(require.resolve('@ai-sdk/openai'));
const { generateText } = await import(require.resolve('ai'));
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
const F = process.env.F ?? '503';
const faults = { '503': { type: 'status', status: 503 }, '429': { type: 'rate-limit', dialect: 'openai', retryAfterMs: 1000 }, 'hang': { type: 'hang' }, 'quota': { type: 'insufficient-quota' } };
const ups = await Promise.all([0, 1].map(i => startChaosUpstream({ name: 'u' + i, script: [{ fault: faults[F] }] })));
const fetch = createFetch({ endpoints: ups.map(u => ({ name: u.name, baseUrl: u.baseUrl, apiKey: 'k' })), deadlineMs: 3000 });
const seen = []; const spy = async (u, i) => { const r = await fetch(u, i); seen.push(`${r.status} ${r.headers.get('x-detour-error')}`); return r; };
const p = createOpenAI({ apiKey: 'x', fetch: spy });
const t0 = Date.now(); let res;
try { await generateText({ model: p.chat('gpt-4o-mini'), prompt: 'hi' }); res = 'ok'; } catch (e) { res = `${e.constructor.name}: ${e.message.slice(0, 100)} | lastError status=${e.lastError?.statusCode ?? e.statusCode}`; }
console.log(JSON.stringify({ F, result: res, ms: Date.now() - t0, fetchCalls: seen, upstream: ups.reduce((a, u) => a + u.stats().total, 0) }));
await Promise.all(ups.map(u => u.close())); process.exit(0);
