// After the answer has started (first chunks flushed), the upstream sends an event quoting its key and ends.
// Which spellings reach the caller unscrubbed?
import { upstream, gateway, chat, UPKEY } from './lib.mjs';
const tails = {
  jsonError: `data: {"error":{"message":"failed for key ${UPKEY}","type":"server_error"}}\n\n`,
  namedError: `event: error\ndata: {"error":{"message":"failed for key ${UPKEY}"}}\n\n`,
  garbage: `data: upstream debug ${UPKEY} (not JSON)\n\n`,
  garbageThenDone: `data: upstream debug ${UPKEY} (not JSON)\n\ndata: [DONE]\n\n`,
  comment: `: debug ${UPKEY}\n\ndata: [DONE]\n\n`,
};
let tail = '';
const u = await upstream((req, body, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (c) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`;
  res.write(chunk('Hello'));
  setTimeout(() => { res.write(chunk(' there')); setTimeout(() => res.end(tail), 150); }, 150);
});
for (const [name, t] of Object.entries(tails)) for (const rescue of ['off', 'continue-or-replay']) {
  tail = t;
  const gw = await gateway([u], { router: { maxAttempts: 1, rescue } });
  const r = await chat(gw, 'gpt-4.1-mini', {}, { stream: true });
  let s = ''; const dec = new TextDecoder(); try { for await (const c of r.body) s += dec.decode(c, { stream: true }); } catch (e) { s += `[${e.message}]`; }
  const i = s.indexOf('sk-upstream');
  console.log(name.padEnd(16), `rescue=${rescue}`.padEnd(27), r.status, 'FULL KEY', s.includes(UPKEY), '|', JSON.stringify(i >= 0 ? s.slice(i - 30, i + 50) : s.slice(-120)));
  await gw.close(100);
}
await u.close();
