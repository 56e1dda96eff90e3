import { setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import { createFetch } from '@detour/node';
import { loadConfig, startGateway } from '@detour/gateway';
import { fetchConfig, gatewayConfigJson, gatewayKey } from './detour-config.js';
import { endpointState } from './endpoint-state.js';
import { startLiveView } from './live-view.js';
import { createRunRecord, liveFigures, recordEvent } from './run-record.js';
import { runOpenLoop } from './run-open-loop.js';
import { sendChat } from './send-chat.js';
import { countUpstreamTraffic } from './count-upstream-traffic.js';

/** After the last request is sent, stragglers get this long before they are abandoned (and counted as failed). */
export const drainLimitMs = 10_000;

/**
 * The Detour run: the gateway on Node and an in-process `createFetch`, each in front of the same three upstreams,
 * driven by the official openai SDK with `maxRetries: 0` (Detour is the only retry loop). Requests rotate through
 * gateway JSON, gateway stream, createFetch JSON, createFetch stream.
 *
 * @param {{ fleet: import('./start-fleet.js').Fleet, durationSeconds: number, rate: number, output: NodeJS.WriteStream }} options
 * @returns {Promise<import('./run-record.js').RunRecord>}
 */
export const runDetour = async ({ fleet, durationSeconds, rate, output }) => {
  const gateway = await startGateway({ config: loadConfig(gatewayConfigJson(fleet), {}, 'demo gateway config') });
  const detourFetch = createFetch(fetchConfig(fleet));
  const viaGateway = new OpenAI({ apiKey: gatewayKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  // createFetch holds the upstream keys; the SDK insists on one of its own, which Detour drops.
  const viaFetch = new OpenAI({ apiKey: 'unused', fetch: detourFetch, maxRetries: 0 });
  const routes = [
    { client: viaGateway, via: 'gateway', kind: 'json' },
    { client: viaGateway, via: 'gateway', kind: 'stream' },
    { client: viaFetch, via: 'fetch', kind: 'json' },
    { client: viaFetch, via: 'fetch', kind: 'stream' },
  ];
  const routers = [
    { client: 'gateway', router: gateway.router },
    { client: 'createFetch', router: detourFetch.router },
  ];

  const durationMs = durationSeconds * 1000;
  const planned = Math.max(1, Math.round(durationSeconds * rate));
  // Restarting the scripts here starts the fault timeline with the first request.
  fleet.restart();
  const record = createRunRecord({ label: 'Detour', durationMs, planned });
  const subscriptions = routers.map(({ client, router }) => router.subscribe((event) => recordEvent(record, client, event)));
  const abandon = new AbortController();
  // Every in-flight request listens to this one signal; hundreds of listeners are expected, not a leak.
  setMaxListeners(0, abandon.signal);
  const drainTimer = setTimeout(() => abandon.abort(), durationMs + drainLimitMs);

  const view = startLiveView({
    output,
    read: async () => {
      const now = Date.now();
      const healths = await Promise.all(routers.map(({ router }) => router.health()));
      return {
        title: 'Detour',
        durationMs,
        planned,
        figures: liveFigures(record, now),
        clients: routers.map(({ client }) => client),
        endpoints: fleet.upstreams.map((upstream) => ({
          name: upstream.name,
          cells: healths.map((health) => {
            const found = health.find((endpoint) => endpoint.name === upstream.name);
            return found ? endpointState(found, now) : { state: 'unknown', secondsLeft: undefined };
          }).map((state) => ({ state: state.name, secondsLeft: state.secondsLeft })),
          served: record.samples.filter((sample) => sample.ok && sample.endpoint === upstream.name).length,
        })),
      };
    },
  });

  try {
    await runOpenLoop({
      count: planned,
      rate,
      onSent: () => void (record.sent += 1),
      send: async (index) => {
        const route = routes[index % routes.length];
        record.samples.push(await sendChat(route.client, { index, kind: route.kind, via: route.via, signal: abandon.signal }));
      },
    });
  } finally {
    clearTimeout(drainTimer);
    await view.stop();
    for (const subscription of subscriptions) subscription.dispose();
    Object.assign(record, countUpstreamTraffic(fleet));
    await gateway.close(1000);
    await detourFetch.router.close();
  }
  return record;
};
