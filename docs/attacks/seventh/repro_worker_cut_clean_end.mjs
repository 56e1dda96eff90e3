// Repro (severity high on the Worker): a stream cut after its first events, with no rescue event to carry the error
// (Responses streams are never rescued; chat and Messages with router.rescue "off").
// Node gateway: TCP reset, every SDK raises. Worker (workerd, miniflare 4.20260426): the body ends with a clean chunked
// terminator ("0\r\n\r\n") and the official SDKs end their iteration quietly with a truncated answer.
import OpenAI from '/work/main/apps/worker/node_modules/openai/index.mjs';
import Anthropic from '/work/main/apps/worker/node_modules/@anthropic-ai/sdk/index.mjs';
import { startAll, GK } from './lib.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 60000).unref();
const s = await startAll({ extra: { router: { deadlineMs: 4000, maxAttempts: 2, rescue: 'off' } } });
const settle = async (label, fn) => { try { console.log(label, 'ENDED QUIETLY ->', await fn()); } catch (e) { console.log(label, 'raised', e.constructor.name + ':', String(e.message).slice(0, 90)); } };
for (const [name, base] of [['node  ', s.nodeUrl], ['worker', s.workerUrl]]) {
  const openai = new OpenAI({ baseURL: base + '/v1', apiKey: GK, maxRetries: 0 });
  const claude = new Anthropic({ baseURL: base, apiKey: GK, maxRetries: 0 });
  await settle(`${name} openai responses.create stream`, async () => { const t = []; for await (const e of await openai.responses.create({ model: 'cut', input: 'hi', stream: true })) t.push(e.type); return t.join(','); });
  await settle(`${name} openai chat stream         `, async () => { let x = ''; for await (const c of await openai.chat.completions.create({ model: 'cut', messages: [{ role: 'user', content: 'hi' }], stream: true })) x += c.choices[0]?.delta?.content ?? ''; return JSON.stringify(x); });
  await settle(`${name} anthropic messages stream  `, async () => { const t = []; for await (const e of await claude.messages.create({ model: 'cut', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], stream: true })) t.push(e.type); return t.join(','); });
}
await s.stop(); process.exit(0);
