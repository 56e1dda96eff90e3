// Mid-stream error events quoting the key (a 200 SSE stream that then fails), with and without a backup endpoint.
import { upstream, gateway, chat, UPKEY } from './lib.mjs';
const mk = (kind) => upstream((req, body, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunk = (c) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`;
  res.write(chunk('Hello')); res.write(chunk(' there'));
  if (kind === 'error-event') res.end(`event: error\ndata: {"error":{"message":"upstream exploded for key ${UPKEY}","type":"server_error"}}\n\n`);
  else if (kind === 'error-data') res.end(`data: {"error":{"message":"upstream exploded for key ${UPKEY}","type":"server_error","code":"server_error"}}\n\n`);
  else if (kind === 'garbage') res.end(`data: not json ${UPKEY}\n\n`);
  else res.destroy();
});
for (const kind of ['error-event', 'error-data', 'garbage', 'cut']) {
  for (const backup of [false, true]) {
    const u = await mk(kind);
    const b = await mk(kind);
    const gw = await gateway(backup ? [u, b] : [u], { router: { maxAttempts: 2 } });
    const r = await chat(gw, 'gpt-4.1-mini', {}, { stream: true });
    let t = ''; try { t = await r.text(); } catch (e) { t += `[${e.message}]`; }
    const i = t.indexOf(UPKEY.slice(0, 12));
    console.log(kind, backup ? '2 endpoints' : '1 endpoint', r.status, 'leak', i >= 0, i >= 0 ? JSON.stringify(t.slice(i - 40, i + 50)) : JSON.stringify(t.slice(-160)));
    await gw.close(100); await u.close(); await b.close();
  }
}
