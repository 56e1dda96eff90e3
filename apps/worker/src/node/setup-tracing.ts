import type { Tracer } from '@detour/core';
import type { TracingMode } from '../config/tracing-modes';

export type { TracingMode };

/** What the gateway set up for tracing: the router's `tracer` override, and how to flush and stop it. */
export interface GatewayTracing {
  /** `false` turns tracing off; undefined lets `@detour/node` find OpenTelemetry. */
  readonly tracer: Tracer | false | undefined;
  shutdown(): Promise<void>;
}

// The packages `otlp` needs: optional peer dependencies of the gateway, loaded only when asked for.
const sdkPackages = ['@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/resources'] as const;

type TracingSdk = [typeof import('@opentelemetry/sdk-trace-node'), typeof import('@opentelemetry/exporter-trace-otlp-http'), typeof import('@opentelemetry/resources')];

/** Loads the packages `otlp` needs, or fails with a message naming what to install. */
const loadTracingSdk = async (): Promise<TracingSdk> => {
  try {
    return await Promise.all([import(sdkPackages[0]), import(sdkPackages[1]), import(sdkPackages[2])]);
  } catch (error) {
    throw new Error(
      `tracing: "otlp" needs ${sdkPackages.join(', ')} and @opentelemetry/api installed next to the gateway ` +
        `(npm i ${sdkPackages.join(' ')} @opentelemetry/api): ${(error as Error).message}`,
    );
  }
};

/**
 * What `--check` asks of tracing: that a start would not fail on it (`otlp` without its packages did, after
 * `--check` had said the config was fine). Registers nothing.
 */
export const checkTracing = async (mode: TracingMode): Promise<void> => {
  if (mode === 'otlp') await loadTracingSdk();
};

/**
 * The longest a gateway's exit waits for its spans to be exported: the OTLP exporter's own timeout is 10 s, and a
 * collector that is down or hangs held every exit that long, outside `shutdownGraceMs` (attack 21, tracing T4).
 * A collector that answers takes milliseconds.
 */
export const tracingFlushBoundMs = 2000;

/** True when `work` settled (either way) within `boundMs`, false when the bound came first; never rejects. */
export const settledWithin = (work: Promise<unknown>, boundMs: number): Promise<boolean> =>
  new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), boundMs);
    timer.unref();
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(settled, settled);
  });

/**
 * Sets tracing up for one gateway process. `otlp` fails the start with a message naming the packages to install
 * when they are missing: an operator who asked for traces should not get silence.
 */
export const setupTracing = async (
  mode: TracingMode,
  serviceName = process.env.OTEL_SERVICE_NAME ?? 'detour-gateway',
  { flushBoundMs = tracingFlushBoundMs, warn = (line: string) => console.error(line) }: { flushBoundMs?: number; warn?: (line: string) => void } = {},
): Promise<GatewayTracing> => {
  if (mode === 'off') return { tracer: false, shutdown: async () => undefined };
  if (mode === 'auto') return { tracer: undefined, shutdown: async () => undefined };
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] = await loadTracingSdk();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  // The spans still unexported when the bound passes are dropped, and the log says so: the exit is not held for a
  // collector, however slow.
  const shutdown = async () => {
    if (!(await settledWithin(provider.shutdown(), flushBoundMs))) {
      warn(`tracing: spans not exported within ${flushBoundMs} ms of the shutdown were dropped (is the collector at OTEL_EXPORTER_OTLP_ENDPOINT up?)`);
    }
  };
  return { tracer: undefined, shutdown };
};
