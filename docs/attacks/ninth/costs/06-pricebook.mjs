// Price table lookups: custom rows (with a vendor prefix), huge prices, name matching.
import { createPriceBook, readUsage } from '/tmp/attack9a/repo/packages/core/dist/index.js';
const u = readUsage({ prompt_tokens: 1000, completion_tokens: 1000 });
const pb = createPriceBook([
  { model: 'anthropic/claude-sonnet-4.5', inputPerMTok: 3, outputPerMTok: 15 },
  { model: 'openrouter/my-model', inputPerMTok: 1, outputPerMTok: 1 },
  { model: 'azure/gpt-4.1', inputPerMTok: 99, outputPerMTok: 99 },
  { model: 'huge', inputPerMTok: 1e308, outputPerMTok: 1e308 },
]);
for (const m of ['anthropic/claude-sonnet-4.5', 'openrouter/my-model', 'my-model', 'azure/gpt-4.1', 'gpt-4.1', 'huge', 'GPT-4.1', 'gpt-4o-2024-08-06', 'o3-mini', 'gpt-4o-realtime-preview', 'claude-sonnet-4-6', 'claude-opus-4-20250514', 'gemini-2.5-flash-lite-preview-09-2025'])
  console.log(m.padEnd(40), JSON.stringify(pb.priceOf(m)?.model), pb.costOf(m, u));
console.log('huge usage on huge price', pb.costOf('huge', readUsage({ prompt_tokens: 1e9, completion_tokens: 1e9 })));
