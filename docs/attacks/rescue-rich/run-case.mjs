// Generic runner for chat-completion cases: primary cut at a point, a healthy backup, via gateway and createFetch.
import { upstream, gateway, detourFetch, endpointsFor, OpenAI, openaiChat, assemble, show, sse } from './lib.mjs';

/**
 * c: { name, params (chat request w/o stream), primaryRaw, cutAt, backup(body,n) -> plan, backupExtra, primaryExtra, router, expect(result) }
 */
export const runChatCase = async (c) => {
  const results = [];
  for (const how of c.hows ?? ['reset', 'close']) {
    for (const via of ['gateway', 'createFetch']) {
      const primary = await upstream('primary', (body, n) => (n === 1 ? { raw: c.primaryRaw, cutAt: c.cutAt, how } : { raw: c.primaryRaw }));
      const backup = await upstream('backup', (body, n) => c.backup(body, n));
      const endpoints = endpointsFor([primary, backup], [c.primaryExtra ?? {}, c.backupExtra ?? {}]);
      let client; let closeGw = async () => {}; let log = [];
      if (via === 'gateway') {
        const g = await gateway(endpoints, c.router); closeGw = g.close; log = g.log;
        client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: 'gk-test-123456789', maxRetries: 0, timeout: 20000 });
      } else {
        const d = detourFetch(endpoints, c.router);
        client = new OpenAI({ baseURL: 'http://detour.invalid/v1', apiKey: 'unused', fetch: d.fetch, maxRetries: 0, timeout: 20000 });
      }
      const t0 = Date.now();
      const r = await openaiChat(client, c.params);
      const ms = Date.now() - t0;
      const a = assemble(r.chunks);
      console.log(`\n--- ${c.name} | cut=${how} | via=${via} | ${ms} ms`);
      show('choices', a.choices);
      if (a.usage.length) show('usage chunks', a.usage);
      show('ids', a.ids);
      show('error', r.error ?? 'none');
      if (r.headers?.['x-detour-cost-usd']) show('x-detour-cost-usd', r.headers['x-detour-cost-usd']);
      show('requests primary/backup', `${primary.bodies.length}/${backup.bodies.length}`);
      for (const b of backup.bodies) {
        const body = b.body; const msgs = body.messages ?? [];
        const copy = { ...body }; delete copy.messages;
        show('  backup asked', { path: b.path, lastMessages: msgs.slice(-2), messageCount: msgs.length, ...copy, tools: body.tools ? `[${body.tools.length} tools]` : undefined });
      }
      await new Promise((res) => setTimeout(res, 100));
      if (log.length) for (const l of log) { const e = JSON.parse(l); show('  access log', { status: e.status, costUsd: e.costUsd, attempts: e.attempts?.length ?? e.attempts, rescue: e.rescue, outcome: e.outcome }); }
      const verdict = c.expect ? c.expect(a, r, backup.bodies) : undefined;
      if (verdict !== undefined) console.log(verdict === true ? 'VERDICT: HELD' : `VERDICT: FAIL -- ${verdict}`);
      results.push({ how, via, a, r, verdict });
      await closeGw(); await primary.close(); await backup.close();
    }
  }
  return results;
};

export { sse };
