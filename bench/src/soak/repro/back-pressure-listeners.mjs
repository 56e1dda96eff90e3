// Reproduction: one long stream read slowly through the Node gateway. Each time the caller's socket is full the
// Node adapter waits for 'drain' or 'close' with two `once` listeners; 'drain' removes its own, the 'close' one
// stays, so the eleventh wait on one response prints MaxListenersExceededWarning. Prints the warnings it sees.
// Usage: node back-pressure-listeners.mjs [words=3000] [readPauseMs=50]  (1,000 words at 10 ms did not trigger it here)
import http from 'node:http';
import { startChaosUpstream } from '@detour/testkit';
import { loadConfig, startGateway } from '@detour/gateway';

const [words = 3000, readPauseMs = 50] = process.argv.slice(2).map(Number);
const warnings = [];
process.on('warning', (warning) => warnings.push(`${warning.name}: ${warning.message}`));
const upstream = await startChaosUpstream({ name: 'charlie', completionTokens: words });
const config = loadConfig({ endpoints: [{ name: 'charlie', baseUrl: upstream.baseUrl, apiKey: 'sk-repro-upstream-key' }], gatewayKeys: ['gk-repro'] }, {});
const gateway = await startGateway({ config });
const outcome = await new Promise((resolve) => {
  let events = 0;
  const request = http.request(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer gk-repro', 'content-type': 'application/json' } }, (response) => {
    response.setEncoding('utf8');
    response.on('data', (chunk) => {
      events += chunk.split('\n\n').length - 1;
      response.pause();
      setTimeout(() => response.resume(), readPauseMs);
    });
    response.on('end', () => resolve(`status ${response.statusCode}, ${events} events, clean end`));
    response.on('error', (error) => resolve(`error ${error.code}`));
  });
  request.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
});
console.log(outcome);
console.log(warnings.length === 0 ? 'no process warnings' : warnings.join('\n'));
await gateway.close(0);
await upstream.close();
process.exit(0);
