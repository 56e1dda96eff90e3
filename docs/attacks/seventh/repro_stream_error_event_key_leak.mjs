// Repro (high): an upstream that, mid-stream (after its first event), sends an error event quoting the gateway's
// upstream key. The docs: keys are "replaced by [redacted] in relayed error bodies"; here the event is relayed verbatim.
// Upstream (upstream.mjs, model "err-event-key"): first event(s), then 150 ms later the error event, then close/cut.
import { startAll, GK, UPKEY, ANTKEY } from './lib.mjs';
import { streamReq } from './stream.mjs';
setTimeout(() => { console.log('WATCHDOG'); process.exit(2); }, 60000).unref();
const H = { authorization: 'Bearer ' + GK, 'x-api-key': GK, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const slow = process.argv[2] === 'slow' ? '-slow' : '';
const asks = [
  ['chat      ', '/v1/chat/completions', { model: 'err-event-key', stream: true, messages: [] }],
  ['responses ', '/v1/responses', { model: 'err-event-key' + slow, input: 'x', stream: true }],
  ['messages  ', '/v1/messages', { model: 'err-event-key' + slow, max_tokens: 5, stream: true, messages: [] }],
];
for (const rescue of [undefined, 'off']) {
  const s = await startAll({ extra: { router: { deadlineMs: 4000, maxAttempts: 2, ...(rescue ? { rescue } : {}) } } });
  for (const [label, path, body] of asks) for (const [name, base] of [['node  ', s.nodeUrl], ['worker', s.workerUrl]]) {
    const r = await streamReq(base, { path, headers: H, body: JSON.stringify(body) });
    const leaked = [UPKEY, ANTKEY].find((k) => r.text.includes(k));
    const at = leaked ? r.text.indexOf(leaked) : -1;
    console.log(`rescue=${rescue ?? 'default'} ${label} ${name}: ${r.status} ${r.end.padEnd(20)} ${leaked ? 'LEAKS KEY: …' + r.text.slice(Math.max(0, at - 60), at + leaked.length + 10).replace(/\n/g, '\\n') : 'no key in body'}`);
  }
  await s.stop();
}
process.exit(0);
