// A streamed answer whose upstream sends an unreadable (non-JSON) event quoting its key, then ends: Detour's own error
// event quotes the event's first 80 characters, cut BEFORE scrubbing, so a key straddling character 80 leaks in part.
import { upstream, gateway, chat, UPKEY } from './lib.mjs';
const keep = UPKEY.length - 3;
const u = await upstream((req, body, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (c) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`;
  res.write(chunk('Hello')); res.write(chunk(' there'));
  res.end(`data: ${'p'.repeat(80 - keep)}${UPKEY} is not JSON\n\n`);
});
for (const rescue of ['off', 'continue-or-replay']) {
  const gw = await gateway([u], { router: { maxAttempts: 1, rescue } });
  const r = await chat(gw, 'gpt-4.1-mini', {}, { stream: true });
  let t = ''; const dec = new TextDecoder(); try { for await (const c of r.body) t += dec.decode(c, { stream: true }); } catch (e) { t += `[${e.message}]`; }
  const i = t.indexOf(UPKEY.slice(0, 10)); const last = t.slice(Math.max(0, i - 200), i + 80);
  console.log(`rescue=${rescue}`, r.status, 'leaked prefix:', t.includes(UPKEY.slice(0, keep)), `(${keep}/${UPKEY.length} chars)`, '\n  last event:', last.slice(0, 400));
  await gw.close(100);
}
await u.close();
