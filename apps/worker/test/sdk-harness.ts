import { startChaosUpstream, type ChaosUpstream, type FaultRule, type RateLimitDialect } from '@detour/testkit';
import { afterEach } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// Shared by the real-SDK suites: testkit upstreams and a Node gateway in front of them, all on 127.0.0.1, port 0,
// closed after each test.

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

/** Every 429 dialect testkit speaks. */
export const dialects: RateLimitDialect[] = ['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini'];

/** The gateway key every suite uses. */
export const gatewayKey = 'gk-sdk';

/** Starts a testkit upstream, closed after the test. */
export const upstream = async (name: string, script: FaultRule[] = [], extra: Record<string, unknown> = {}): Promise<ChaosUpstream> => {
  const started = await startChaosUpstream({ name, script, ...extra });
  upstreams.push(started);
  return started;
};

/**
 * Starts a gateway in front of `targets`, in priority order, each with `endpoint` fields added (`provider`…) and the
 * key `sk-upstream-<name>`.
 */
export const gatewayFor = async (
  targets: ChaosUpstream[],
  { endpoint = {}, router = {} }: { endpoint?: Record<string, unknown>; router?: Record<string, unknown> } = {},
): Promise<RunningGateway> => {
  const config = loadConfig(
    {
      endpoints: targets.map((target, index) => ({ name: target.name, baseUrl: target.baseUrl, apiKey: `sk-upstream-${target.name}`, priority: index, ...endpoint })),
      gatewayKeys: [gatewayKey],
      router,
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  return gateway;
};

/** The value of one Prometheus series on the gateway's /metrics, or undefined when absent. */
export const metricValue = async (gateway: RunningGateway, series: string): Promise<number | undefined> => {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
