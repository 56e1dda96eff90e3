// F2: an upstream that, after one chunk, sends short `data:` lines and never the blank line that ends an event.
// With rescue on (the default) the relay held the event whole: 200 MiB held took 1,119 MiB RSS. Sends up to 200 MiB
// and reports what the caller got and the gateway's peak RSS. Run: node f2_short_lines.mjs
import fs from 'node:fs';
import { startUpstream, startGateway, gwConfig, GK, watchdog, closeServer } from './redis/lib.mjs';
watchdog(120_000);
let sent = 0;
const line = `data: ${'x'.repeat(58)}\n`;
const upstream = await startUpstream({
  name: 'drip',
  behaviour: async (req, json, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] })}\n\n`);
    const block = line.repeat(1024);
    while (sent < 200 * 1024 * 1024 && !res.destroyed) {
      sent += block.length;
      if (!res.write(block)) {
        await new Promise((resolve) => {
          const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
          res.on('drain', done).on('close', done);
        });
      }
    }
    res.end();
    return true;
  },
});
const g = await startGateway({ config: gwConfig([{ name: 'drip', baseUrl: upstream.url }], { router: { maxResponseBytes: 8 * 1024 * 1024 } }), tag: 'f2' });
if (g.error) throw g.error;
let peak = 0;
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${g.child.pid}/status`, 'utf8'))[1]) / 1024;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 50);
const response = await fetch(`${g.url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${GK}` },
  body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
});
const text = await response.text().catch((error) => `(read failed: ${error.message})`);
clearInterval(sampler);
console.log(`status ${response.status}; upstream sent ${(sent / 1048576).toFixed(1)} MiB; caller got ${text.length} characters; ends with: ${JSON.stringify(text.slice(-200))}`);
console.log(`gateway peak RSS ${peak.toFixed(0)} MiB`);
g.stop();
closeServer(upstream);
process.exit(0);
