// Reproduction: a long, slowly produced stream read by a slow client. Prints the client's view every 5 s until the
// stream ends, breaks, or 150 s pass. Usage: node slow-reader-stall.mjs [chunkDelayMs=15] [readPauseMs=100] [words=2000]
import http from 'node:http';
import { startChaosUpstream } from '@detour/testkit';
import { loadConfig, startGateway } from '@detour/gateway';

const [chunkDelayMs = 15, readPauseMs = 100, words = 2000] = process.argv.slice(2).map(Number);
const upstream = await startChaosUpstream({ name: 'charlie', completionTokens: words, script: [{ fault: { type: 'slow-body', chunkDelayMs } }] });
const config = loadConfig({
  endpoints: [{ name: 'charlie', baseUrl: upstream.baseUrl, apiKey: 'sk-repro-upstream-key' }],
  gatewayKeys: ['gk-repro'],
  router: { deadlineMs: 30_000, firstByteTimeoutMs: 5000, attemptTimeoutMs: 10_000 },
}, {});
const gateway = await startGateway({ config });
const startedAt = Date.now();
let bytes = 0;
let events = 0;
let state = 'waiting';
const request = http.request(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-repro', 'content-type': 'application/json' } }, (response) => {
  state = `status ${response.statusCode}`;
  response.setEncoding('utf8');
  response.on('data', (chunk) => {
    bytes += chunk.length;
    events += chunk.split('\n\n').length - 1;
    if (chunk.includes('[DONE]')) state = 'saw [DONE]';
    response.pause();
    setTimeout(() => response.resume(), readPauseMs);
  });
  response.on('end', () => (state = `${state}, clean end (complete=${response.complete})`));
  response.on('error', (error) => (state = `${state}, error ${error.code ?? error.message}`));
});
request.on('error', (error) => (state = `request error ${error.code ?? error.message}`));
request.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
const report = setInterval(() => {
  console.log(`${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${state}; ${events} events, ${bytes} bytes; upstream ${JSON.stringify(upstream.stats().byOutcome)}`);
  if (/end|error/.test(state) || Date.now() - startedAt > 150_000) {
    clearInterval(report);
    request.destroy();
    void Promise.all([gateway.close(0), upstream.close()]).then(() => process.exit(0));
  }
}, 5000);
