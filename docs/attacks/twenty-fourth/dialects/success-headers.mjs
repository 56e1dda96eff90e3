// Rate-limit headers on SUCCESS responses, in each provider's real format: after one 200, is endpoint a cooled
// for the right time (remaining 0) or left alone (remaining > 0)? Second request shows whether a is skipped.
import { fake, gateway, openai, anthropic, chatOk, msgOk, hardExit } from './lib.mjs';
hardExit(200000);
const iso = (s) => new Date(Date.now() + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const cases = [
  ['OpenAI tokens 0, reset 6m0s', 'openai', () => ({ 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9999', 'x-ratelimit-reset-requests': '6ms', 'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }), '~360s'],
  ['Groq RPD 0, reset 2m59.56s', 'groq', () => ({ 'x-ratelimit-limit-requests': '14400', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2m59.56s', 'x-ratelimit-limit-tokens': '6000', 'x-ratelimit-remaining-tokens': '5990', 'x-ratelimit-reset-tokens': '100ms' }), '~180s'],
  ['Groq tokens 0, reset 7.66s', 'groq', () => ({ 'x-ratelimit-limit-requests': '14400', 'x-ratelimit-remaining-requests': '14399', 'x-ratelimit-reset-requests': '6s', 'x-ratelimit-limit-tokens': '6000', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '7.66s' }), '~8s'],
  ['Anthropic input tokens 0, RFC3339 +20s', 'anthropic', () => ({ 'anthropic-ratelimit-input-tokens-limit': '30000', 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': iso(20), 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-reset': iso(1) }), '~20s'],
  ['Together x-ratelimit-remaining 0, reset 1 (s)', 'together', () => ({ 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1', 'x-tokenlimit-limit': '200000', 'x-tokenlimit-remaining': '199000' }), '~1s'],
  ['Azure remaining-tokens 0, no reset', 'azure', () => ({ 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-remaining-tokens': '0' }), 'unknown: small/default'],
  ['Azure Responses sentinels -1/0', 'azure', () => ({ 'x-ratelimit-remaining-requests': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0', 'x-ratelimit-reset-requests': '0' }), 'none'],
  ['Cerebras day/minute suffixed', 'other', () => ({ 'x-ratelimit-limit-requests-day': '14400', 'x-ratelimit-remaining-requests-day': '0', 'x-ratelimit-reset-requests-day': '33011.382867097855', 'x-ratelimit-limit-tokens-minute': '60000', 'x-ratelimit-remaining-tokens-minute': '0', 'x-ratelimit-reset-tokens-minute': '11.382867097855229' }), 'not read (unknown names)'],
  ['OpenRouter-style epoch-ms reset, remaining 0', 'openrouter', () => ({ 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.now() + 30000) }), '~30s'],
  ['GitHub-style epoch-s reset, remaining 0', 'other', () => ({ 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 40) }), '~40s'],
];
for (const [name, provider, headers, expect] of cases) {
  const isA = provider === 'anthropic';
  const a = await fake('a', (q, s) => { s.writeHead(200, { 'content-type': 'application/json', ...headers() }); s.end(isA ? msgOk() : chatOk()); });
  const b = await fake('b', (q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(isA ? msgOk() : chatOk()); });
  const g = await gateway({ endpoints: [{ name: 'a', baseUrl: a.url, apiKey: 'ka', provider, priority: 0 }, { name: 'b', baseUrl: b.url, apiKey: 'kb', provider, priority: 1 }] });
  const call = () => isA ? anthropic(g).messages.create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) : openai(g).chat.completions.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
  await call(); await call().catch((e) => console.log('  2nd call error', e.status));
  const st = await g.state(); const ea = st.endpoints.find((e) => e.name === 'a');
  const until = ea.cooldownUntil ?? ea.modelCooldowns?.[0]?.until;
  console.log(`${name.padEnd(46)} a=${a.count} b=${b.count} a.state=${ea.state} cool=${until ? Math.round((until - st.now) / 1000) + 's' : 'none'} signal=${ea.signal} quota=${JSON.stringify(ea.quota).slice(0, 160)} [expect ${expect}]`);
  await g.stop(); a.server.close(); b.server.close();
}
process.exit(0);
