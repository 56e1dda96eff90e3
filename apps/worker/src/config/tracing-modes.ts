/**
 * How the gateway traces on Node (the config's `tracing`, or `DETOUR_TRACING`, which wins): `auto` traces through
 * whatever OpenTelemetry provider the process registered (`node --import ./otel.mjs …`), and costs one non-recording
 * span per request while none is; `otlp` registers one itself, exporting over OTLP/HTTP to
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`); `off` never traces. Apart from the schema, so that
 * the CLI checks the variable without loading zod.
 */
export type TracingMode = 'auto' | 'otlp' | 'off';

/** Every {@link TracingMode}, for the schema and the CLI's check of `DETOUR_TRACING`. */
export const tracingModes: readonly TracingMode[] = ['auto', 'otlp', 'off'];
