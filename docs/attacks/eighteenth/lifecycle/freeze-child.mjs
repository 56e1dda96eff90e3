// A "serverless" worker: a warm router, commands on stdin (each line one invocation), results on stdout.
import { createInterface } from 'node:readline';
import { createFetch } from '@detour/node';
import OpenAI from 'openai';
const [A, B, extra] = process.argv.slice(2);
const fetch = createFetch({ endpoints: [
  { name: 'a', baseUrl: `${A}/v1`, apiKey: 'ka', priority: 0, limits: { rpm: 3 } },
  { name: 'b', baseUrl: `${B}/v1`, apiKey: 'kb', priority: 1 },
], ...JSON.parse(extra ?? '{}') });
const events = [];
fetch.router.subscribe((e) => { if (e.type === 'attempt-end' || e.type === 'failover' || e.type === 'breaker-change' || e.type === 'retry-wait' || e.type === 'quota-wait' || e.type === 'admission-wait') events.push(`${e.type}${e.endpoint ? ':' + e.endpoint : ''}${e.outcome ? '=' + (e.outcome.kind ?? e.outcome) : ''}${e.error ? '(' + String(e.error.code ?? e.error).slice(0, 40) + ')' : ''}`); });
const client = new OpenAI({ apiKey: 'x', fetch, maxRetries: 0 });
for await (const line of createInterface({ input: process.stdin })) {
  const [cmd, model] = line.split(' ');
  const t = Date.now();
  events.length = 0;
  if (cmd === 'call') {
    const out = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse()
      .then(({ response }) => `200 endpoint=${response.headers.get('x-detour-endpoint')} attempts=${response.headers.get('x-detour-attempts')}`, (e) => `${e.status} ${e.headers?.get?.('x-detour-error')} ${String(e.error?.message ?? e.message).slice(0, 140)}`);
    console.log(`[${line}] ${out} in ${Date.now() - t} ms; events: ${events.join(', ') || '-'}`);
  } else if (cmd === 'health') {
    const h = await fetch.router.health();
    console.log(`[health] ${h.map((e) => `${e.name}: breaker=${e.breaker} available=${e.available} cooldown=${Math.max(0, e.cooldownUntil - Date.now())}ms models=${JSON.stringify(Object.fromEntries(Object.entries(e.modelCooldowns).map(([k, v]) => [k, Math.max(0, v - Date.now())])))} quota=${JSON.stringify(e.quota)}`).join(' | ')}`);
  }
}
