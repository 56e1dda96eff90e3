// Which echo styles of the endpoint key reach the gateway's caller? node leakprobe.mjs messages|responses
import { P } from './mini.mjs';
const { spawnSync } = await import('node:child_process');
const api = process.argv[2] ?? 'messages';
for (const style of ['whole', 'cut', 'tail', 'uesc', 'pct']) for (const keyAt of [0, 3, 6, 9]) for (const shape of ['antError', 'oaiError', 'plain', 'html', 'sseErr']) {
  const p = shape === 'sseErr' ? P({ status: 200, shape: 'sse', ctype: 'text/event-stream', errorAt: 4, echoKey: true, echoStyle: style, keyAt, etype: 'invalid_request_error' }) : P({ status: 401, shape, etype: 'authentication_error', ctype: shape === 'plain' ? 'text/plain' : shape === 'html' ? 'text/html' : 'application/json', echoKey: true, echoStyle: style, keyAt });
  const c = { stream: shape === 'sseErr', method: 'POST', plans: [[p]] };
  const r = spawnSync('node', ['fuzz-gw15.mjs'], { env: { ...process.env, API: api, N: '1', REPLAY: JSON.stringify(c) }, encoding: 'utf8' });
  const out = r.stdout; const pr = out.slice(out.lastIndexOf('\n[')); const leak = /KEY LEAK[^']*/.exec(pr)?.[0];
  if (leak) console.log(api, style, keyAt, shape, '|', leak);
  else console.log(api, style, keyAt, shape, '| ok');
}
