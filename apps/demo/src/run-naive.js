import { setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import { createPriceBook, readUsage } from '@detour/core';
import { countUpstreamTraffic } from './count-upstream-traffic.js';
import { startLiveView } from './live-view.js';
import { drainLimitMs } from './run-detour.js';
import { createRunRecord, liveFigures } from './run-record.js';
import { runOpenLoop } from './run-open-loop.js';
import { sendChat } from './send-chat.js';
import { demoModel } from './start-fleet.js';

// Upstream outcomes where the provider answered 200 and did the work, but the caller got nothing usable.
const billedButDiscarded = new Set(['cut-stream', 'malformed-sse']);

/**
 * The naive runs: the same load and the same fault timeline from the start, through the official openai SDK with its
 * default retries (`maxRetries: 2`, honouring Retry-After). `naive` sends to the primary alone. `naive+failover` is
 * what a careful team writes by hand: one client per upstream, and when a request fails after the SDK's retries, the
 * same request to the next upstream in priority order (its latency is the whole chain's).
 *
 * Spend is priced by @detour/core's price book from the usage of each answer. "Wasted" counts the attempts the
 * provider billed but whose result was thrown away: answers cut off mid-body after a 200 (the SDK cannot retry
 * those, and the caller gets an error). They are priced with the rule Detour uses for its own failed attempts
 * (input tokens = request bytes / 4, none of the lost output), so both columns are the same kind of lower bound.
 * A 429 or 500 is not billed by providers and so is not counted as wasted, even though each one costs time.
 *
 * @param {{ fleet: import('./start-fleet.js').Fleet, durationSeconds: number, rate: number, output: NodeJS.WriteStream }} options
 * @returns {Promise<import('./run-record.js').RunRecord>}
 */
export const runNaive = async ({ fleet, durationSeconds, rate, output, failover = false }) => {
  const primary = fleet.upstreams[0];
  const upstreams = failover ? fleet.upstreams : [primary];
  const clients = upstreams.map((upstream) => new OpenAI({ apiKey: `sk-demo-${upstream.name}`, baseURL: upstream.baseUrl, maxRetries: 2 }));
  const label = failover ? 'naive+failover' : 'naive';
  const prices = createPriceBook();
  const durationMs = durationSeconds * 1000;
  const planned = Math.max(1, Math.round(durationSeconds * rate));
  fleet.restart();
  const record = createRunRecord({ label, durationMs, planned });
  const abandon = new AbortController();
  // Every in-flight request listens to this one signal; hundreds of listeners are expected, not a leak.
  setMaxListeners(0, abandon.signal);
  const drainTimer = setTimeout(() => abandon.abort(), durationMs + drainLimitMs);
  const view = startLiveView({
    output,
    read: async () => ({
      title: label === 'naive' ? 'naive ' : label,
      durationMs,
      planned,
      figures: liveFigures(record, Date.now()),
      clients: ['openai SDK'],
      endpoints: upstreams.map((upstream) => ({
        name: upstream.name,
        cells: [{ state: 'no breaker', secondsLeft: undefined }],
        served: record.samples.filter((sample) => sample.ok && sample.endpoint === upstream.name).length,
      })),
    }),
  });

  try {
    await runOpenLoop({
      count: planned,
      rate,
      onSent: () => void (record.sent += 1),
      send: async (index) => {
        const kind = index % 2 === 0 ? 'json' : 'stream';
        let sample;
        let waitedMs = 0;
        for (const [position, client] of clients.entries()) {
          sample = await sendChat(client, { index, kind, via: label, signal: abandon.signal });
          waitedMs += sample.latencyMs;
          if (sample.ok) sample.endpoint = upstreams[position].name;
          if (sample.ok || abandon.signal.aborted) break;
        }
        sample.latencyMs = waitedMs;
        if (sample.ok) {
          const usage = readUsage(sample.usage);
          record.spentUsd += (usage && prices.costOf(demoModel, usage)) ?? 0;
        }
        record.samples.push(sample);
      },
    });
  } finally {
    clearTimeout(drainTimer);
    await view.stop();
  }
  for (const request of upstreams.flatMap((upstream) => upstream.stats().requests)) {
    if (!billedButDiscarded.has(request.outcome)) continue;
    const bytes = Buffer.byteLength(JSON.stringify(request.body ?? {}));
    const cost = prices.costOf(request.model ?? demoModel, { inputTokens: Math.ceil(bytes / 4), cachedInputTokens: 0, outputTokens: 0 }) ?? 0;
    record.spentUsd += cost;
    record.wastedUsd += cost;
  }
  Object.assign(record, countUpstreamTraffic(fleet));
  return record;
};
