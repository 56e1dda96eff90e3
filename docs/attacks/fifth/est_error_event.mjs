// Low: a stream that delivers N content events and then an error event is priced with 0 output tokens,
// while the same N events followed by a plain cut are priced with N+1 (docs/pricing.md: one output token per event that carries output).
import { createFetch } from '/work/main/packages/node/dist/index.js';
import { startChaosUpstream } from '/work/main/packages/testkit/dist/index.js';
for (const fault of [{ type: 'cut-stream', afterTokens: 6 }, { type: 'stream-error-event', afterTokens: 6 }]) {
  for (const chunkDelayMs of [0, 30]) {
    const a = await startChaosUpstream({ name: 'primary', answers: 'deterministic', completionTokens: 20, chunkDelayMs, script: [{ fault }] });
    const b = await startChaosUpstream({ name: 'backup', answers: 'deterministic', completionTokens: 20 });
    const fetch = createFetch({ endpoints: [{ name: 'primary', baseUrl: a.baseUrl, apiKey: 'k', priority: 0 }, { name: 'backup', baseUrl: b.baseUrl, apiKey: 'k', priority: 1 }], streamUsage: 'inject' });
    const recs = []; fetch.router.subscribe(e => { if (e.type === 'cost-record') recs.push(`${e.endpoint} ${e.outcome}${e.estimated ? ' (estimated)' : ''} outputTokens=${e.usage.outputTokens}`); });
    const r = await fetch('http://x/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    try { await r.text(); } catch {}
    await new Promise(r => setTimeout(r, 200));
    console.log(JSON.stringify({ fault: fault.type, chunkDelayMs, contentEventsPrimarySent: 6, attempts: r.headers.get('x-detour-attempts'), costRecords: recs }));
    await a.close(); await b.close();
  }
}
process.exit(0);
