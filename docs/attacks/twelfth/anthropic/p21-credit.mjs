// Anthropic's billing refusal (400 invalid_request_error "Your credit balance is too low…") on key 1 of 2
import Anthropic from '@anthropic-ai/sdk';
import { raw, json, anthErr, okMsg, ask, createFetch, endpointsFor, deadline } from './lib.mjs';
deadline(15000);
const p = await raw('p', (req, body, res) => json(res, 400, anthErr('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.')));
const b = await raw('b', (req, body, res) => json(res, 200, okMsg('from b')));
const f = createFetch({ endpoints: endpointsFor([p, b]) });
const c = new Anthropic({ apiKey: 'u', fetch: f, maxRetries: 0 });
for (let i = 0; i < 2; i++) { try { const { data, response } = await c.messages.create(ask).withResponse(); console.log('req', i, 'OK', data.content[0].text, response.headers.get('x-detour-endpoint')); } catch (e) { console.log('req', i, 'ERR', e.status, e.message.slice(0, 100)); } }
console.log('primary hits', p.reqs.length, 'health', JSON.stringify((await f.router.health()).map((h) => [h.name, h.disabledUntil > Date.now(), h.reason])));
p.close(); b.close(); process.exit(0);
