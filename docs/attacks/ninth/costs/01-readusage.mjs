// Direct checks of readUsage + createPriceBook (pure functions exported by @detour/core)
import { readUsage, createPriceBook, priceTableVersion } from '/tmp/attack9a/repo/packages/core/dist/index.js';
const pb = createPriceBook();
const show = (label, model, usage) => { const u = readUsage(usage); console.log(label.padEnd(40), JSON.stringify(u), '=>', u && pb.costOf(model, u)); };
console.log('version', priceTableVersion);
// OpenAI chat: 1000 prompt of which 800 cached; 500 completion of which 300 reasoning. gpt-4.1: 2/0.5/8
show('oa chat cached+reasoning gpt-4.1', 'gpt-4.1', { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 800, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 300, audio_tokens: 0 } });
console.log('  expected', (200*2 + 800*0.5 + 500*8)/1e6);
// Responses API
show('responses gpt-5', 'gpt-5', { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 500, output_tokens_details: { reasoning_tokens: 300 }, total_tokens: 1500 });
console.log('  expected', (200*1.25 + 800*0.125 + 500*10)/1e6);
// Anthropic with split
show('anthropic sonnet-4-5 split', 'claude-sonnet-4-5', { input_tokens: 100, cache_creation_input_tokens: 300, cache_read_input_tokens: 1000, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 50 });
console.log('  expected', (100*3 + 1000*0.3 + 100*3.75 + 200*6 + 50*15)/1e6);
// DeepSeek
show('deepseek', 'deepseek-chat', { prompt_tokens: 1000, completion_tokens: 100, prompt_cache_hit_tokens: 600, prompt_cache_miss_tokens: 400 });
console.log('  expected', (400*0.28 + 600*0.028 + 100*0.42)/1e6);
// DeepSeek where prompt_tokens_details.cached_tokens = 0 present but hit tokens > 0 (deepseek sends both? )
show('deepseek details 0 + hit', 'deepseek-chat', { prompt_tokens: 1000, completion_tokens: 100, prompt_tokens_details: { cached_tokens: 0 }, prompt_cache_hit_tokens: 600, prompt_cache_miss_tokens: 400 });
// Hostile
for (const [l, u] of [
  ['negative', { prompt_tokens: -1000, completion_tokens: -5 }],
  ['strings', { prompt_tokens: '1000', completion_tokens: 'NaN' }],
  ['1e308', { prompt_tokens: 1e308, completion_tokens: 1e308 }],
  ['cached>prompt', { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 1e6 } }],
  ['reasoning>completion', { prompt_tokens: 10, completion_tokens: 1, completion_tokens_details: { reasoning_tokens: 1e6 } }],
  ['null', null], ['array', [1,2]], ['empty', {}],
  ['anth neg write', { input_tokens: 10, cache_creation_input_tokens: -50, cache_creation: { ephemeral_5m_input_tokens: 1e9, ephemeral_1h_input_tokens: 1e9 }, output_tokens: 1 }],
  ['prompt 0 completion 1e9', { prompt_tokens: 0, completion_tokens: 1e9 }],
  ['both shapes', { prompt_tokens: 10, input_tokens: 1000, completion_tokens: 1, output_tokens: 5000 }],
  ['completion 0 output 5000', { prompt_tokens: 10, completion_tokens: 0, output_tokens: 5000 }],
]) show('hostile ' + l, 'claude-opus-4-1', u);
