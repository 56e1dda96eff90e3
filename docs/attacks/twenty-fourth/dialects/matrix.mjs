// Error-format matrix: each case = endpoint "a" (provider under test) answers a real provider's error; "b" (same
// provider) answers OK. One request through the gateway CLI with the real SDK (maxRetries 0). Prints attempts per
// fake, status, x-detour-* headers and a's state (cooldown length, reason, signal).
import { fake, gateway, openai, anthropic, chatOk, msgOk, hardExit, sleep } from './lib.mjs';
import { cases } from './cases.mjs';
hardExit(240000);
const only = process.argv.slice(2);
for (const c of cases) {
  if (only.length && !only.some((o) => c.name.includes(o))) continue;
  const a = await fake('a', c.a);
  const b = await fake('b', c.b ?? ((q, s) => { s.writeHead(200, { 'content-type': 'application/json' }); s.end(c.api === 'messages' ? msgOk() : chatOk()); }));
  const eps = [{ name: 'a', baseUrl: a.url, apiKey: 'k-a', priority: 0, provider: c.provider }];
  if (!c.single) eps.push({ name: 'b', baseUrl: b.url, apiKey: 'k-b', priority: 1, provider: c.provider });
  const g = await gateway({ endpoints: eps, router: { maxAttempts: 4, ...(c.router ?? {}) } });
  let out;
  const t0 = Date.now();
  try {
    if (c.api === 'messages') {
      const r = await anthropic(g).messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      out = { status: r.response.status, hdr: Object.fromEntries([...r.response.headers].filter(([k]) => k.startsWith('x-detour'))) };
    } else {
      const r = await openai(g).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      out = { status: r.response.status, hdr: Object.fromEntries([...r.response.headers].filter(([k]) => k.startsWith('x-detour'))) };
    }
  } catch (e) {
    out = { status: e.status, err: String(e.message).slice(0, 160), hdr: e.headers ? Object.fromEntries([...(e.headers.entries?.() ?? Object.entries(e.headers))].filter(([k]) => k.startsWith('x-detour') || k === 'retry-after')) : undefined };
  }
  const ms = Date.now() - t0;
  const st = await g.state();
  const ea = st.endpoints.find((e) => e.name === 'a');
  const cool = ea.cooldownUntil ? Math.round((ea.cooldownUntil - st.now) / 1000) + 's' : (ea.modelCooldowns?.[0] ? Math.round((ea.modelCooldowns[0].until - st.now) / 1000) + 's(model)' : 'none');
  console.log(`\n## ${c.name}  [expect: ${c.expect}]`);
  console.log(`  fakes: a=${a.count} b=${b.count}  took=${ms}ms  client: ${JSON.stringify(out)}`);
  console.log(`  a.state=${ea.state} breaker=${ea.breaker} cooldown=${cool} reason=${JSON.stringify(ea.reason)} signal=${JSON.stringify(ea.signal)}`);
  const log = g.lines.find((l) => l.includes('/v1/'));
  if (log) { const j = JSON.parse(log); console.log(`  log: endpoint=${j.endpoint} attempts=${j.attempts} status=${j.status} error=${j.error}`); }
  await g.stop(); a.server.close(); b.server.close();
}
process.exit(0);
