// SSE relay byte-fidelity: upstream writes the stream in adversarial pieces (with pauses so each is its own read);
// compare what the gateway's client receives with what the upstream sent.
import { rawUpstream, startGw, post, chatBody } from './lib.mjs';
const KEY = 'sk-test-Ab3dEf9hIjK1mN0pQr5tUv7x';
const chunk = (content, finish = null) => `{"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":${JSON.stringify(finish)}}]}`;
const full = (eol, opts = {}) => (opts.bom ? '\ufeff' : '') + [chunk('h€llo 👋 ' + (opts.text ?? '')), chunk(''.padEnd(opts.long ?? 0, 'y')), chunk('', 'stop')].map((c) => `data:${opts.nospace ? '' : ' '}${c}${eol}${eol}`).join('') + `data: [DONE]${eol}${eol}`;
const splitters = {
  crlfSplit: (b) => { const i = b.indexOf('\r\n') + 1; return [b.subarray(0, i), b.subarray(i)]; },
  utf8Split: (b) => { const i = b.indexOf(Buffer.from('€')) + 1; return [b.subarray(0, i), b.subarray(i)]; },
  emojiSplit: (b) => { const i = b.indexOf(Buffer.from('👋')) + 2; return [b.subarray(0, i), b.subarray(i)]; },
  byteByByte: (b) => [...b].map((x) => Buffer.from([x])),
  keySplit: (b) => { const i = b.indexOf(Buffer.from(KEY)) + 12; return [b.subarray(0, i), b.subarray(i)]; },
  whole: (b) => [b],
};
const scenarios = [
  ['lf whole', full('\n'), 'whole'],
  ['crlf split', full('\r\n'), 'crlfSplit'],
  ['utf8 split', full('\n'), 'utf8Split'],
  ['emoji split', full('\n'), 'emojiSplit'],
  ['bom', full('\n', { bom: true }), 'whole'],
  ['data: no space', full('\n', { nospace: true }), 'whole'],
  ['long line 200k', full('\n', { long: 200000 }), 'whole'],
  ['byte by byte crlf', full('\r\n'), 'byteByByte'],
  ['lone CR', full('\r'), 'whole'],
  ['key in content, split', full('\n', { text: 'your key is ' + KEY + ' ok' }), 'keySplit'],
];
let current;
const up = await rawUpstream(async (socket) => {
  const [, text, how] = current;
  const bytes = Buffer.from(text);
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n');
  for (const piece of splitters[how](bytes)) {
    if (piece.length === 0) continue;
    socket.write(piece.length.toString(16) + '\r\n'); socket.write(piece); socket.write('\r\n');
    await new Promise((r) => setTimeout(r, how === 'byteByByte' ? 0 : 30));
  }
  socket.write('0\r\n\r\n');
});
const g = await startGw([{ name: 'a', baseUrl: up.url, apiKey: KEY }]);
for (const sc of scenarios) {
  current = sc;
  const r = await post(g.url + '/v1/chat/completions', { ...chatBody, stream: true }).catch((e) => ({ status: 'ERR ' + e.message, body: Buffer.alloc(0) }));
  const sent = Buffer.from(sc[1]);
  const same = Buffer.compare(sent, r.body) === 0;
  console.log(`== ${sc[0]}: status ${r.status} ${r.error ?? ''} identical=${same} sent=${sent.length} got=${r.body.length}`);
  if (!same) {
    let i = 0; while (i < sent.length && sent[i] === r.body[i]) i++;
    console.log('   first diff at', i, 'sent:', JSON.stringify(sent.subarray(i, i + 80).toString('latin1')), '\n   got :', JSON.stringify(r.body.subarray(i, i + 120).toString('latin1')));
  }
}
await g.close(100); up.server.close(); process.exit(0);
