// Things the Workers entry does differently from Node: config as a JSON/TOML-table var (an object, not a string),
// a missing config, a missing or non-string secret binding, __proto__ model names, deep JSON, big bodies.
import { gatewayInWorkerd, gatewayInNode, fakeUpstream, json, watchdog } from './lib.mjs';
watchdog(200000);
const up = await fakeUpstream('A', (rec, rq, res) => json(res, 200, { id: 'x', object: 'chat.completion', model: JSON.parse(rec.body.toString() || '{}').model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }));
const base = { gatewayKeys: [{ env: 'GW' }], endpoints: [{ name: 'a', baseUrl: up.url, apiKey: { env: 'KA' } }] };
const env = { GW: 'gw-key', KA: 'sk-aaaaaaaaaaaaaaaaaaaaaaaa' };
const chat = (model) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
const ask = async (gw, body, headers = {}) => {
  const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gw-key', 'content-type': 'application/json', ...headers }, body, duplex: 'half' });
  return `${r.status} ${(await r.text()).replace(/\s+/g, ' ').slice(0, 260)}`;
};
const capture = async (fn) => { const orig = process.stderr.write.bind(process.stderr); const o2 = process.stdout.write.bind(process.stdout); let logs = ''; process.stderr.write = (c, ...a) => { logs += c; return true; }; process.stdout.write = (c, ...a) => { if (!String(c).includes('[mf:')) logs += c; return true; }; try { return [await fn(), logs]; } finally { process.stderr.write = orig; process.stdout.write = o2; } };
// 1. config bindings
for (const [label, cfg, e] of [
  ['DETOUR_CONFIG as a JSON var (object binding, wrangler [vars] table)', null, { ...env, DETOUR_CONFIG_OBJ: true }],
  ['DETOUR_CONFIG absent', undefined, env],
  ['secret KA not bound', base, { GW: 'gw-key' }],
  ['secret KA bound to a JSON object var', base, { ...env, KA: { key: 'sk-x' } }],
  ['secret KA bound to a number var', base, { ...env, KA: 12345678901234 }],
]) {
  const [out, logs] = await capture(async () => {
    const { DETOUR_CONFIG_OBJ, ...bindings } = e;
    const gw = await (await import('./lib.mjs')).gatewayInWorkerd(cfg ?? '', bindings, DETOUR_CONFIG_OBJ ? { bindings: { ...bindings, DETOUR_CONFIG: base } } : cfg === undefined ? { bindings } : {});
    try { return await ask(gw, chat('gpt-4.1')); } finally { await gw.close(); }
  });
  console.log(`[workerd] ${label}: ${out}\n    worker log: ${logs.split('\n').filter((l) => l.trim() && !l.includes('[mf:')).join(' | ').slice(0, 400)}`);
}
// 2. the same request inputs on both entries
const cfgModels = { ...base, endpoints: [{ name: 'a', baseUrl: up.url, apiKey: { env: 'KA' }, models: { 'gpt-4.1': 'gpt-4.1-2025' } }] };
const deep = (n) => '{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"metadata":' + '['.repeat(n) + ']'.repeat(n) + '}';
const big = (n) => JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x'.repeat(n) }] });
for (const [label, start] of [['workerd', () => gatewayInWorkerd(cfgModels, env)], ['node', () => gatewayInNode(cfgModels, env)]]) {
  const gw = await start();
  for (const m of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) console.log(`[${label}] model ${m}: ${await ask(gw, chat(m))}`);
  console.log(`[${label}] JSON nested 5,000,000 deep (10 MB): ${await ask(gw, deep(5_000_000))}`);
  console.log(`[${label}] JSON nested 2,000 deep: ${await ask(gw, deep(2000))}`);
  console.log(`[${label}] body 11 MiB with content-length: ${await ask(gw, big(11 << 20))}`);
  const stream = (n) => new ReadableStream({ start(c) { const s = Buffer.from(big(n)); for (let i = 0; i < s.length; i += 1 << 20) c.enqueue(s.subarray(i, i + (1 << 20))); c.close(); } });
  console.log(`[${label}] body 11 MiB chunked (no length): ${await ask(gw, stream(11 << 20))}`);
  console.log(`[${label}] body 9 MiB: ${await ask(gw, big(9 << 20))}`);
  console.log(`[${label}] 64 KiB user-agent header: ${await ask(gw, chat('gpt-4.1'), { 'user-agent': 'u'.repeat(65536) })}`);
  await gw.close();
}
console.log('upstream saw models:', up.log.map((r) => { try { return JSON.parse(r.body).model; } catch { return `(${r.body.length} B)`; } }).join(', '));
await up.close(); process.exit(0);
