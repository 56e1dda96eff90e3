/** A value a span attribute may hold; undefined values are left out before they reach a tracer. */
export type TraceAttributeValue = string | number | boolean;

/** Span attributes, keyed by their semantic-convention names (`gen_ai.request.model`, `detour.endpoint`…). */
export type TraceAttributes = Readonly<Record<string, TraceAttributeValue>>;

/**
 * One span as Detour drives it: a narrow port, so core never depends on `@opentelemetry/api` (see
 * {@link openTelemetryTracer} for the adapter, and `docs/tracing.md`). Every value handed to it is already safe to
 * export: no keys, no prompts, no completions.
 */
export interface TraceSpan {
  /** False when the span records nothing (no provider registered, or not sampled): the request is then not traced. */
  isRecording(): boolean;
  setAttributes(attributes: TraceAttributes): void;
  /** A point in time on the span (a retry wait, a cooldown the attempt started). */
  addEvent(name: string, attributes: TraceAttributes): void;
  /** Marks the span as failed, with a short message already scrubbed of secrets. */
  setError(message: string): void;
  end(): void;
}

/**
 * What the router needs from a tracing system: a request span (a child of the caller's active context) and attempt
 * spans (children of the request span, of kind CLIENT). Give one to a router as `tracer`; each routed request then
 * calls `startRequest` once, and if that span does not record, nothing else.
 */
export interface Tracer {
  /** Starts a routed request's span as a child of whatever span is active where `send` was called. */
  startRequest(name: string, attributes: TraceAttributes): TraceSpan;
  /** Starts one attempt's span (kind CLIENT) as a child of `parent`, a span this tracer started. */
  startAttempt(name: string, attributes: TraceAttributes, parent: TraceSpan): TraceSpan;
}
