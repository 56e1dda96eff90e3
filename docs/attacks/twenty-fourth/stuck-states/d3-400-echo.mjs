// D3: a caller's invalid request whose 400 quotes the caller's own value (as OpenAI's invalid_value errors do), and
// that value contains a word the quota classifier looks for ("billing" / "per day"). Is the endpoint disabled for
// everyone for cooldown.disableMs? One endpoint; the bad request at 10 s, normal traffic 1 rps.
import { createRouter, createFakeClock, drive, bins, endpoint, delayedTransport, chat } from './harness.mjs';
const word = process.argv[2] ?? 'billing';
const clock = createFakeClock();
const origin = clock.now();
const transport = delayedTransport(clock, (name, request) => {
  const json = JSON.parse(new TextDecoder().decode(request.body));
  if (typeof json.tool_choice === 'string') return { status: 400, latencyMs: 20, body: { error: { message: `Invalid value: '${json.tool_choice}'. Supported values are: 'none', 'auto', and 'required'.`, type: 'invalid_request_error', param: 'tool_choice', code: 'invalid_value' } } };
  return { latencyMs: 50 };
});
const router = createRouter({ endpoints: [endpoint('a')] }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
let sent = false; let badResult;
const outcomes = await drive({ clock, router, durationMs: 20 * 60_000, spacingMs: 1000, stepMs: 200, request: () => {
  if (!sent && clock.now() - origin >= 10_000) { sent = true; return chat({ tool_choice: word === 'billing' ? 'summarize my billing' : 'one call per day' }); }
  return chat();
} });
const h = await router.health();
console.log(`word=${word}: one 400 echoing the caller's value at 10 s`);
for (const [bin, b] of bins(outcomes, origin, 5 * 60_000)) console.log(`t ${bin * 5} min: ok ${b.ok} fail ${b.fail} ${JSON.stringify(b.codes)}`);
console.log('endpoint a:', JSON.stringify({ disabledUntilInS: (h[0].disabledUntil - clock.now()) / 1000, reason: h[0].reason }));
process.exit(0);
