// Header values/names with bytes undici's parser accepts but Node's writeHead might refuse; very long headers; >64 fields.
import { rawUpstream, startGw, post, chatBody, completion, rawResponse } from './lib.mjs';
const cases = {
  del: ['x-v: a\x7fb'],
  ctrl01: ['x-v: a\x01b'],
  tabInside: ['x-v: a\tb'],
  nul: ['x-v: a\x00b'],
  high: ['x-v: \xff\xfe\x80'],
  longValue: ['x-v: ' + 'v'.repeat(12000)],
  many: Array.from({ length: 100 }, (_, i) => `x-h${i % 70}: ${i}`),
  oddName: ["x-!#$%&'*+.^_`|~: odd"],
  spaceBeforeColon: ['x-v : s'],
  obsFold: ['x-v: a', ' folded'],
};
let current;
const up = await rawUpstream((socket) => socket.write(rawResponse(200, ['content-type: application/json', ...cases[current]], completion())));
for (const name of Object.keys(cases)) {
  current = name;
  const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: 'sk-test-aaaaaaaaaaaaaaaaaaaa' }]);
  const r = await post(g.url + '/v1/chat/completions', chatBody).catch((e) => ({ status: 'ERR ' + e.message, rawHeaders: [], body: Buffer.alloc(0) }));
  const hs = []; for (let j = 0; j < r.rawHeaders.length; j += 2) if (/^x-(v|h|!)/i.test(r.rawHeaders[j])) hs.push(`${r.rawHeaders[j]}: ${JSON.stringify(r.rawHeaders[j + 1]).slice(0, 40)}`);
  console.log(`== ${name}: ${r.status} ${r.error ?? ''} relayed ${hs.length} x- headers: ${hs.slice(0, 4).join(' | ')} body: ${r.body.toString().slice(0, 140)}`);
  await g.close(100);
}
 up.server.close(); process.exit(0);
