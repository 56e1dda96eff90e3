// A model name with a lone UTF-16 surrogate ("a\ud800b" as a JSON escape): the upstream is called and answers 200,
// then the gateway answers 500 internal_error "URI malformed". For a stream, is the upstream left open?
import { startAll, GK, stats } from './lib.mjs';
import { streamReq } from './stream.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 60000).unref();
const s = await startAll();
const H = { authorization: 'Bearer ' + GK, 'content-type': 'application/json' };
for (const [name, base] of [['node', s.nodeUrl], ['worker', s.workerUrl]]) {
  for (const [label, body] of [['json', '{"model":"a\\ud800b","messages":[]}'], ['stream drip', '{"model":"drip\\ud800","stream":true,"messages":[]}']]) {
    const r0 = stats.requests, c0 = stats.closedByPeer;
    const r = await streamReq(base, { headers: H, body, timeout: 5000 });
    await new Promise((x) => setTimeout(x, 3000));
    console.log(name, label, '->', r.status, r.headers['x-detour-error'], r.text.slice(0, 110), `| upstream calls ${stats.requests - r0}, upstream responses still open 3 s later: ${stats.open}, closed by gateway: ${stats.closedByPeer - c0}`);
  }
}
const m = await (await fetch(s.nodeUrl + '/metrics')).text();
console.log('node metric lines mentioning internal_error:', m.split('\n').filter((l) => l.includes('internal_error')).join(' ; '));
await s.stop(); process.exit(0);
