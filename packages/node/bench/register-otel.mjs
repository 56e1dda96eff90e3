// `node --import ./packages/node/bench/register-otel.mjs …`: registers an OpenTelemetry tracer provider that records
// every span and hands it, batched, to an exporter that discards it. For benchmarks that compare a gateway with
// tracing on against the same gateway without it (`DETOUR_BENCH_OBSERVED_IMPORT`, see bench/src/subjects.mjs): what
// is measured is span recording and batching, not a collector's network round trips.
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

let exported = 0;
const discarding = {
  export(spans, done) {
    exported += spans.length;
    done({ code: 0 });
  },
  shutdown: async () => undefined,
};
const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(discarding, { maxQueueSize: 65_536, maxExportBatchSize: 4096 })] });
provider.register();
process.once('beforeExit', () => void provider.shutdown());
if (process.env.DETOUR_BENCH_OTEL_REPORT) process.once('exit', () => process.stderr.write(`register-otel: ${exported} spans exported\n`));
