// Is /v1/messages/count_tokens (free at Anthropic) priced as if its input_tokens were billed?
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, ask, createFetch, endpointsFor, gateway, deadline } from './lib.mjs';
deadline(15000);
const b = await raw('b', (req, body, res) => json(res, 200, { input_tokens: 1000000 }));
const f = createFetch({ endpoints: endpointsFor([b]) });
const r1 = await new Anthropic({ apiKey: 'u', fetch: f, maxRetries: 0 }).messages.countTokens({ model: ask.model, messages: ask.messages }).withResponse();
console.log('createFetch count_tokens x-detour-cost-usd =', r1.response.headers.get('x-detour-cost-usd'));
const gw = await gateway([b]);
const r2 = await new Anthropic({ baseURL: gw.url, apiKey: 'gk-test', maxRetries: 0 }).messages.countTokens({ model: ask.model, messages: ask.messages }).withResponse();
console.log('gateway count_tokens x-detour-cost-usd =', r2.response.headers.get('x-detour-cost-usd'));
const m = await (await fetch(gw.url + '/metrics')).text();
console.log(m.split('\n').filter((l) => /^detour_(cost_usd_total|tokens_total)/.test(l)).join('\n') || '(no cost/token series)');
await gw.close(); b.close(); process.exit(0);
