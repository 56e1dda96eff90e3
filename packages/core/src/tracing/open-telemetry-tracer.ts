import type { TraceAttributes, TraceSpan, Tracer } from './tracer';

/**
 * The parts of an OpenTelemetry span Detour uses, described by shape so core has no dependency on
 * `@opentelemetry/api` (any 1.x `Span` fits).
 */
export interface OpenTelemetrySpanLike {
  isRecording(): boolean;
  setAttributes(attributes: TraceAttributes): unknown;
  addEvent(name: string, attributes?: TraceAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** The parts of the `@opentelemetry/api` module Detour uses (`import * as api from '@opentelemetry/api'` fits). */
export interface OpenTelemetryApiLike {
  readonly trace: {
    getTracer(name: string, version?: string): {
      startSpan(name: string, options?: { kind?: number; attributes?: TraceAttributes }, context?: unknown): OpenTelemetrySpanLike;
    };
    setSpan(context: unknown, span: OpenTelemetrySpanLike): unknown;
  };
  readonly context: { active(): unknown };
}

/** How the tracer names itself (its instrumentation scope). */
export interface OpenTelemetryTracerOptions {
  /** @default '@detour/core' */
  readonly name?: string;
  readonly version?: string;
}

// The numeric values of OpenTelemetry's SpanKind and SpanStatusCode enums, stable since API 1.0.
const spanKindInternal = 0;
const spanKindClient = 2;
const statusError = 2;

/** An OpenTelemetry span behind Detour's {@link TraceSpan} port. */
class OpenTelemetrySpan implements TraceSpan {
  constructor(readonly span: OpenTelemetrySpanLike) {}
  isRecording(): boolean {
    return this.span.isRecording();
  }
  setAttributes(attributes: TraceAttributes): void {
    this.span.setAttributes(attributes);
  }
  addEvent(name: string, attributes: TraceAttributes): void {
    this.span.addEvent(name, attributes);
  }
  setError(message: string): void {
    this.span.setStatus({ code: statusError, message });
  }
  end(): void {
    this.span.end();
  }
}

/**
 * Adapts the OpenTelemetry API to Detour's {@link Tracer} port. The tracer is fetched from the global provider
 * through the API's proxy, so a provider registered after the router was built is still used; while none is, each
 * request costs one non-recording span and nothing else.
 *
 * @param api the `@opentelemetry/api` module (`import * as api from '@opentelemetry/api'`)
 * @example
 * import * as api from '@opentelemetry/api';
 * const detourFetch = createFetch(config, { tracer: openTelemetryTracer(api) });
 */
export const openTelemetryTracer = (api: OpenTelemetryApiLike, options: OpenTelemetryTracerOptions = {}): Tracer => {
  const tracer = api.trace.getTracer(options.name ?? '@detour/core', options.version);
  return {
    startRequest: (name, attributes) =>
      new OpenTelemetrySpan(tracer.startSpan(name, { kind: spanKindInternal, attributes }, api.context.active())),
    startAttempt: (name, attributes, parent) => {
      const parentContext = parent instanceof OpenTelemetrySpan ? api.trace.setSpan(api.context.active(), parent.span) : api.context.active();
      return new OpenTelemetrySpan(tracer.startSpan(name, { kind: spanKindClient, attributes }, parentContext));
    },
  };
};
