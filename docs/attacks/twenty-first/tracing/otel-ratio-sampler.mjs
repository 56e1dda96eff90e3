// node --import: a provider sampling 1 % of root traces (ParentBased(TraceIdRatio 0.01)), as docs/tracing.md advises
// for production, exporting over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT.
import { createRequire } from 'node:module';
const require = createRequire('/tmp/attack21b/apps/worker/package.json');
const { NodeTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } = require('@opentelemetry/sdk-trace-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const provider = new NodeTracerProvider({ sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.01) }), spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
provider.register();
process.once('SIGTERM', () => provider.shutdown().finally(() => {}));
