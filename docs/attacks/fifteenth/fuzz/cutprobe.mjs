// A Messages/Responses stream cut after k events (clean close or reset), healthy backup: what does the caller get?
// node cutprobe.mjs messages|responses gw|sdk
import { P } from './mini.mjs';
const { spawnSync } = await import('node:child_process');
const api = process.argv[2]; const via = process.argv[3];
const max = api === 'messages' ? 9 : 10;
for (const end of ['close', 'reset']) for (let k = 1; k <= max; k++) {
  const c = { stream: true, method: 'POST', plans: [[P({ shape: 'sse', ctype: 'text/event-stream', framing: 'chunked', cutAt: k, end })], [P({ shape: 'sse', ctype: 'text/event-stream', framing: 'chunked' })]] };
  const r = spawnSync('node', [via === 'sdk' ? 'fuzz-sdk15.mjs' : 'fuzz-gw15.mjs'], { env: { ...process.env, API: api, HB: '1', REPLAY: JSON.stringify(c) }, encoding: 'utf8', timeout: 30000 });
  const out = r.stdout ?? ''; const pr = out.slice(out.lastIndexOf('\n[')).replace(/\s+/g, ' ');
  const reqs = /"reqs": \[([^\]]*)\]/.exec(out)?.[1]?.replace(/\s+/g, ' ');
  let tail = '';
  if (via === 'gw') { const b = /"body": "(.*)"/.exec(out)?.[1] ?? ''; tail = b.slice(-160); } else tail = (/"result": "([^"]*)"/.exec(out)?.[1] ?? '') + ' ' + (/"message": "([^"]{0,140})/.exec(out)?.[1] ?? '');
  console.log(`${api} ${via} cut after ${k} events, ${end}: reqs=[${reqs}] ${tail} | problems=${pr.slice(0, 250)}`);
}
