// What SDK callers see when the grace period runs out on their stream (openai and anthropic SDKs).
import { startChaos, startGateway, hardTimeout } from './harness.mjs';
import OpenAI from '/tmp/attack17b/repo/apps/worker/node_modules/openai/index.mjs';
import Anthropic from '/tmp/attack17b/repo/apps/worker/node_modules/@anthropic-ai/sdk/index.mjs';
hardTimeout(40000);
const chaos = await startChaos({ script: { chunkDelayMs: 300, completionTokens: 30 } });
const gw = await startGateway(chaos.url, { shutdownGraceMs: 1500 }, { args: ['--access-log'] });
const T0 = Date.now();
const oa = (async () => { let n = 0; try { for await (const c of await new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'gk-test-key', maxRetries: 0 }).chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true })) n++; return `openai: loop ended normally after ${n} chunks (no error!)`; } catch (e) { return `openai: ${e.constructor.name}: ${e.message} (after ${n} chunks, ${Date.now() - T0} ms)`; } })();
const an = (async () => { let n = 0; try { for await (const e of new Anthropic({ baseURL: gw.url, apiKey: 'gk-test-key', maxRetries: 0 }).messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Hi' }] })) n++; return `anthropic: ended normally after ${n} events`; } catch (e) { return `anthropic: ${e.constructor.name}: ${e.message} (after ${n} events, ${Date.now() - T0} ms)`; } })();
await new Promise((r) => setTimeout(r, 1000));
process.kill(gw.child.pid, 'SIGTERM');
console.log(await oa); console.log(await an);
await new Promise((r) => setTimeout(r, 500));
console.log(gw.child.out);
process.exit(0);
