// D2: endpoint "openai" serves every model; the project behind its key lacks access to ONE model ("gpt-5-pro"), for
// which OpenAI answers 403 {code: model_not_found, "Project ... does not have access to model ..."}. Every other
// model works. One request for gpt-5-pro at t=10 s; gpt-4.1 traffic at 1 rps throughout. argv[2]=two adds a backup tier.
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const topo = process.argv[2] ?? 'one';
const clock = createFakeClock();
const origin = clock.now();
const transport = delayedTransport(clock, (name, request) => {
  const body = new TextDecoder().decode(request.body);
  if (name === 'openai' && body.includes('gpt-5-pro')) return { status: 403, latencyMs: 20, body: { error: { message: 'Project `proj_abc` does not have access to model `gpt-5-pro`', type: 'invalid_request_error', param: null, code: 'model_not_found' } } };
  return { latencyMs: 50 };
});
const endpoints = topo === 'two' ? [endpoint('openai', { priority: 0 }), endpoint('backup', { priority: 1 })] : [endpoint('openai')];
const router = createRouter({ endpoints }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
let sentBad = false;
const outcomes = await drive({ clock, router, durationMs: 75 * 60_000, spacingMs: 1000, stepMs: 200, request: () => {
  if (!sentBad && clock.now() - origin >= 10_000) { sentBad = true; return chat({ model: 'gpt-5-pro' }); }
  return chat();
} });
const calls = transport.calls.filter((c) => c.endpoint === 'openai').map((c) => (c.at - origin) / 1000);
console.log(`topology=${topo}: one gpt-5-pro request at 10 s (403 model_not_found); gpt-4.1 at 1 rps`);
console.log('first call to openai after 10.5 s:', calls.find((t) => t > 10.5), 's');
for (const [bin, b] of bins(outcomes, origin, 15 * 60_000)) console.log(`t ${bin * 15} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.endpoints)} ${JSON.stringify(b.codes)}`);
const h = await router.health(); console.log('health:', JSON.stringify(h).slice(0, 300));
process.exit(0);
