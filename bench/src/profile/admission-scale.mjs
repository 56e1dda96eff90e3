// Admission's cost with many endpoints, in process: core's router (from the built dist given, by default this
// checkout's) on a transport that answers at once, at 1, 200 and 1,000 endpoints, each answer carrying OpenAI's
// rate-limit headers (`headers`) or every endpoint configured with limits (`limits`); prints the mean and median time
// a request. Attack 18's scale script (docs/attacks/eighteenth/scale/s1_router_scale.mjs), cut down. Two builds side
// by side: run it once on each one's packages/core/dist.
//
// Usage: node bench/src/profile/admission-scale.mjs [core dist folder] [headers,limits]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2] ? resolve(process.argv[2]) : new URL('../../../packages/core/dist', import.meta.url).pathname;
const variants = (process.argv[3] || 'headers,limits').split(',');
const core = await import(pathToFileURL(`${dist}/index.js`).href);

const answer = new TextEncoder().encode(JSON.stringify({
  id: 'x', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
}));
const rateLimitHeaders = {
  'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '1000000', 'x-ratelimit-remaining-tokens': '999000', 'x-ratelimit-reset-tokens': '60ms',
};
const respond = (variant) => ({
  status: 200,
  headers: { 'content-type': 'application/json', ...(variant === 'headers' ? rateLimitHeaders : {}) },
  headersLowerCase: true,
  body: (async function* () {
    yield answer;
  })(),
  cancel() {},
});
const request = { path: '/chat/completions', body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }) };
const milliseconds = () => Number(process.hrtime.bigint()) / 1e6;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const variant of variants) {
  for (const count of [1, 200, 1000]) {
    const endpoints = Array.from({ length: count }, (_, index) => ({
      name: `ep-${index}`, baseUrl: 'http://127.0.0.1:9/v1', apiKey: `sk-proj-${'k'.repeat(20)}${index}`,
      ...(variant === 'limits' ? { limits: { rpm: 1e6, tpm: 1e8 } } : {}),
    }));
    const router = core.createRouter({ endpoints }, { transport: async () => respond(variant) });
    for (let index = 0; index < 2000; index += 1) await router.send(request);
    const requests = count === 1000 ? 3000 : 10_000;
    const times = [];
    const start = milliseconds();
    for (let index = 0; index < requests; index += 1) {
      const sent = milliseconds();
      await router.send(request);
      times.push(milliseconds() - sent);
    }
    const mean = ((milliseconds() - start) / requests) * 1000;
    console.log(`${variant.padEnd(8)} n=${String(count).padStart(4)} mean=${mean.toFixed(1)}us p50=${(median(times) * 1000).toFixed(1)}us`);
  }
}
