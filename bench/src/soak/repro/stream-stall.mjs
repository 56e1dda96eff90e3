// Reproduction: many concurrent streams of a long reply through the gateway, read at full speed; prints how many
// end with [DONE], break, or stall (no byte for 10 s, or QUIET_MS). Usage: node stream-stall.mjs [streams=100] [words=600]
import http from 'node:http';
import { startChaosUpstream } from '@detour/testkit';
import { loadConfig, startGateway } from '@detour/gateway';

const [count = 100, words = 600] = process.argv.slice(2).map(Number);
const upstream = await startChaosUpstream({ name: 'charlie', completionTokens: words });
const config = loadConfig({ endpoints: [{ name: 'charlie', baseUrl: upstream.baseUrl, apiKey: 'sk-repro-upstream-key' }], gatewayKeys: ['gk-repro'], router: { deadlineMs: 30_000, firstByteTimeoutMs: 5000, attemptTimeoutMs: 10_000 } }, {});
const gateway = await startGateway({ config });
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const one = () => new Promise((resolve) => {
  let events = 0;
  let last = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - last > Number(process.env.QUIET_MS ?? 10_000)) { clearInterval(watchdog); request.destroy(); resolve(`stalled (${phase}) at ${events} events`); }
  }, 1000);
  let phase = 'not connected';
  const target = process.env.DIRECT ? upstream.url : gateway.url;
  const request = http.request(`${target}/v1/chat/completions`, { agent, method: 'POST', headers: { authorization: 'Bearer gk-repro', 'content-type': 'application/json' } }, (response) => {
    phase = `status ${response.statusCode}`;
    let tail = '';
    let done = false;
    response.setEncoding('utf8');
    response.on('data', (chunk) => {
      last = Date.now();
      const blocks = (tail + chunk).split('\n\n');
      tail = blocks.pop() ?? '';
      events += blocks.length;
      if (blocks.includes('data: [DONE]')) done = true;
    });
    response.on('end', () => { clearInterval(watchdog); resolve(done ? 'done' : `clean end without [DONE] at ${events}`); });
    response.on('error', () => { clearInterval(watchdog); resolve(`broken at ${events}`); });
  });
  request.once('finish', () => (phase = 'sent, no response'));
  request.on('error', (error) => { clearInterval(watchdog); resolve(`request error ${error.code}`); });
  request.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
const startedAt = Date.now();
const results = await Promise.all(Array.from({ length: count }, one));
const tally = {};
for (const result of results) tally[result] = (tally[result] ?? 0) + 1;
console.log(`${count} streams of ${words} words in ${Date.now() - startedAt} ms:`, tally, 'upstream saw', JSON.stringify(upstream.stats().byOutcome));
agent.destroy();
await gateway.close(0);
await upstream.close();
process.exit(0);
