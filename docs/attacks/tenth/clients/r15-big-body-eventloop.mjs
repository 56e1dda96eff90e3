// Gateway with maxBodyBytes 40 MB: 30 MB image bodies. How long does a tiny concurrent request wait (event-loop block)?
import { upstream, gateway, sleep, now, MB } from './lib.mjs';
const up = await upstream(async (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4.1-mini', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); });
const gw = await gateway({ endpoints: [{ name: 'a', baseUrl: up.url }], maxBodyBytes: 40 * 1048576 });
const small = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] });
const img = Buffer.alloc(22 * 1048576, 7).toString('base64');
const big = JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,' + img } }] }] });
const post = (b) => fetch(gw.url + '/v1/chat/completions', { method: 'POST', headers: { authorization: 'Bearer gk', 'content-type': 'application/json' }, body: b }).then(async (r) => { await r.arrayBuffer(); return r.status; });
let t = now(); await post(small); t = now(); await post(small); const base = now() - t;
t = now(); const s1 = await post(big); console.log('one 29 MB body alone: status', s1, Math.round(now() - t), 'ms; small request alone', base.toFixed(1), 'ms');
const lat = []; let stop = false;
const prober = (async () => { while (!stop) { const t1 = now(); await post(small); lat.push(now() - t1); await sleep(20); } })();
t = now(); const st = await Promise.all([post(big), post(big), post(big)]); stop = true; await prober;
lat.sort((x, y) => x - y);
console.log('3 concurrent 29 MB bodies:', st, Math.round(now() - t), 'ms; concurrent small requests n=', lat.length, 'p50', lat[lat.length >> 1].toFixed(0), 'ms max', lat.at(-1).toFixed(0), 'ms; gw rss', MB(gw.rss()));
gw.stop(); up.close(); process.exit(0);
