// Minimal repro: an identical replay of a two-text-block message cut in its 2nd block is refused as a failed rescue.
// primary: text block 0 "Hello there. ", text block 1 "Sec" ... then close (no message_stop)
// backup (replay): one text block "Hello there. Second block here."
import Anthropic from '@anthropic-ai/sdk';
import { startRaw, createFetch, hardTimeout, sleep } from './lib.mjs';
import { msgEvents, sse } from './msg_sse.mjs';
hardTimeout(20000);
const P_BLOCKS = [{ type: 'text', text: 'Hello there. ' }, { type: 'text', text: 'Second block here.' }];
const B_BLOCKS = P_BLOCKS; // identical, deterministic replay
const serve = (blocks, cut) => async (ctx) => {
  ctx.sse();
  for (const [e, d] of msgEvents('msg_' + (cut ? 'p' : 'b'), blocks)) {
    ctx.write(sse(e, d)); await sleep(3);
    if (cut && d.index === 1 && d.delta?.text === 'Sec') { await sleep(20); return ctx.end(); }
  }
  ctx.end();
};
const P = await startRaw('P', serve(P_BLOCKS, true)), B = await startRaw('B', serve(B_BLOCKS, false));
const fetch = createFetch({ endpoints: [
  { name: 'P', provider: 'anthropic', baseUrl: P.baseUrl, apiKey: 'k1', priority: 0 },
  { name: 'B', provider: 'anthropic', baseUrl: B.baseUrl, apiKey: 'k2', priority: 1 }] });
const claude = new Anthropic({ apiKey: 'x', fetch, maxRetries: 0 });
let m; try { m = await claude.messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
} catch (e) { console.log('threw', e.constructor.name, e.message); process.exit(0); }
console.log('finalMessage.stop_reason =', m.stop_reason);
console.log('finalMessage.content =', JSON.stringify(m.content.map((b) => b.text)));
await fetch.router.close?.(); await P.close(); await B.close(); process.exit(0);
