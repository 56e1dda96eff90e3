// S1: streamUsage 'inject'. ONE streamed answer from the endpoint refuses the added stream_options (a 400 naming it,
// e.g. one old replica behind the provider's balancer); every later request would accept it. Are later streams ever
// sent include_usage again (so priced / counted), or is the endpoint remembered as refusing it for good?
import { createRouter, createFakeClock, createScriptedTransport, endpoint, chat } from './harness.mjs';
const clock = createFakeClock();
let refusedOnce = false;
const chunk = (content, finish = null) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finish }] });
const usage = JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } });
const transport = createScriptedTransport({
  a: (request) => {
    const text = new TextDecoder().decode(request.body);
    if (text.includes('stream_options') && !refusedOnce) { refusedOnce = true; return { status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error' } } }; }
    return { events: text.includes('include_usage') ? [chunk('hi'), chunk('', 'stop'), usage, '[DONE]'] : [chunk('hi'), chunk('', 'stop'), '[DONE]'] };
  },
}, { now: clock.now });
const router = createRouter({ endpoints: [endpoint('a')], streamUsage: 'inject' }, { transport, clock, sleep: clock.sleep, random: () => 0.5 });
const costs = []; router.subscribe((e) => { if (e.type === 'cost-record') costs.push(e); });
for (let i = 0; i < 50; i += 1) {
  const r = await router.send(chat({ stream: true }));
  for await (const _ of r.stream) {}
  clock.advance(60_000);
}
const withUsage = transport.calls.filter((c) => new TextDecoder().decode(c.request.body).includes('include_usage')).length;
console.log(`calls ${transport.calls.length}; sent include_usage: ${withUsage} (the first, refused, included); 50 minutes of streams after one refusal`);
console.log('cost records with reported usage:', costs.filter((c) => c.usageReported ?? c.reported ?? c.inputTokens > 0).length, 'of', costs.length, '; sample:', JSON.stringify(costs.at(-1)).slice(0, 300));
process.exit(0);
