// D4: a Gemini endpoint (provider gemini, OpenAI-compatible) serving two models. gemini-2.5-pro has a per-day (or
// limit: 0 free-tier) quota spent — Gemini names it PerDayPerProjectPerModel, i.e. per model — while gemini-2.5-flash
// has plenty. One pro request at 10 s; flash traffic 1 rps. argv[2]: daily | zero.
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const variant = process.argv[2] ?? 'daily';
const clock = createFakeClock();
const origin = clock.now();
const body = variant === 'zero'
  ? [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaDimensions: { model: 'gemini-2.5-pro', location: 'global' } }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '40s' }] } }]
  : [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 50, model: gemini-2.5-pro', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaDimensions: { model: 'gemini-2.5-pro', location: 'global' } }] }, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '40s' }] } }];
const transport = delayedTransport(clock, (name, request) => {
  if (new TextDecoder().decode(request.body).includes('gemini-2.5-pro')) return { status: 429, latencyMs: 20, body };
  return { latencyMs: 50 };
});
const router = createRouter({ endpoints: [endpoint('gemini', { provider: 'gemini' })] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
let sent = false;
const outcomes = await drive({ clock, router, durationMs: 70 * 60_000, spacingMs: 1000, stepMs: 200, request: () => {
  if (!sent && clock.now() - origin >= 10_000) { sent = true; return chat({ model: 'gemini-2.5-pro' }); }
  return chat({ model: 'gemini-2.5-flash' });
} });
const h = await router.health();
console.log(`variant=${variant}: one gemini-2.5-pro request at 10 s answered with a per-model per-day quota 429; flash at 1 rps`);
for (const [bin, b] of bins(outcomes, origin, 10 * 60_000)) console.log(`t ${bin * 10} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.codes)}`);
console.log('endpoint:', JSON.stringify({ reason: h[0].reason, modelCooldowns: h[0].modelCooldowns }));
process.exit(0);
