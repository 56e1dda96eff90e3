import type { RouterEvent } from '../engine/events';
import type { RequestState } from '../engine/request-state';
import type { RouterContext } from '../engine/router-context';
import type { Candidate } from '../engine/serving-endpoints';
import { defined, endpointAttributes, operationOf, spanName } from './gen-ai-attributes';
import { guardedSpan } from './guarded-span';
import type { TraceAttributes, TraceSpan, Tracer } from './tracer';

/** Why an attempt was made: the first, a failover, a retry on the same endpoint, a fallback model, a stream rescue. */
type AttemptKind = 'initial' | 'failover' | 'retry' | 'fallback' | 'rescue';

/**
 * Starts a routed request's trace and returns the context its steps run with. When the tracer's request span does
 * not record (no provider registered, or the sampler said no), the shared context comes back untouched and the
 * request costs nothing more. Otherwise the request gets a context of its own whose `emit` also feeds its trace:
 * every step of the request, and of its stream's rescue, already reports what it does through `context.emit`, so
 * the spans are driven by the same {@link RouterEvent}s as the metrics, correlated by the context they travel in.
 */
export const traceRequest = (context: RouterContext, state: RequestState, tracer: Tracer): RouterContext => {
  const operation = operationOf(state.api);
  let span: TraceSpan;
  try {
    span = tracer.startRequest(
      spanName(operation, state.model, state.prepared.path),
      defined({ 'gen_ai.operation.name': operation, 'gen_ai.request.model': state.model, 'detour.stream': state.prepared.stream }),
    );
    if (!span.isRecording()) {
      span.end();
      return context;
    }
  } catch {
    // A tracer that throws leaves the request untraced, never failed.
    return context;
  }
  const trace = createRequestTrace(context, state, tracer, span, operation);
  const forward = context.emit;
  return {
    ...context,
    emit: (build) => {
      const event = build();
      try {
        trace(event);
      } catch {
        // A tracing bug must not fail a user's request.
      }
      forward(() => event);
    },
  };
};

/**
 * The request's spans, moved along by its events. Every span call is guarded on its own ({@link guardedSpan});
 * `startedSpan` is the tracer's own request span, the parent its attempts are started under.
 */
const createRequestTrace = (
  context: RouterContext, state: RequestState, tracer: Tracer, startedSpan: TraceSpan, operation: string | undefined,
): ((event: RouterEvent) => void) => {
  const { scrub } = context;
  const requestSpan = guardedSpan(startedSpan);
  const startAttempt = (name: string, attributes: TraceAttributes): TraceSpan | undefined => {
    try {
      return guardedSpan(tracer.startAttempt(name, attributes, startedSpan));
    } catch {
      // The attempt goes untraced; the request span still ends.
      return undefined;
    }
  };
  /** The attempt in flight, and where it went. */
  let current: TraceSpan | undefined;
  let currentCandidate: Candidate | undefined;
  /** A committed stream's attempt: open until the stream ends, is cut, or the request ends. */
  let streaming: TraceSpan | undefined;
  /** What the next attempt is, when an event said so before it started. */
  let next: { kind: AttemptKind; attributes: Record<string, string> } | undefined;
  let rescuing = false;
  let costUsd = 0;
  let wastedUsd = 0;
  let priced = false;
  let queueWaitMs = 0;
  let served: { provider: string; model: string | undefined } | undefined;

  const endStreaming = (errorType: string | undefined) => {
    if (!streaming) return;
    if (errorType !== undefined) {
      streaming.setAttributes({ 'error.type': errorType });
      streaming.setError(errorType);
    }
    streaming.end();
    streaming = undefined;
  };

  return (event) => {
    switch (event.type) {
      case 'failover':
        next = { kind: 'failover', attributes: { 'detour.failover.from': event.from, 'detour.failover.reason': scrub(event.reason) } };
        return;
      case 'model-fallback':
        next = { kind: 'fallback', attributes: { 'detour.fallback.from': event.from, 'detour.fallback.to': event.to, 'detour.failover.reason': event.reason } };
        return;
      case 'attempt-start': {
        // A new attempt while a stream is still open: that stream was cut, and this attempt carries it on.
        if (streaming) {
          endStreaming('stream_interrupted');
          rescuing = true;
        }
        const candidate = context.servingEndpoints(event.api, event.model).find((serving) => serving.name === event.endpoint);
        currentCandidate = candidate;
        const model = candidate?.upstreamModel ?? event.model;
        const where = candidate ? endpointAttributes(candidate.endpoint) : undefined;
        const kind: AttemptKind = rescuing ? 'rescue' : (next?.kind ?? (event.attempt === 1 ? 'initial' : 'retry'));
        current?.end();
        current = startAttempt(
          spanName(operation, model, state.prepared.path),
          defined({
            'gen_ai.operation.name': operation, 'gen_ai.provider.name': where?.provider, 'gen_ai.request.model': model,
            'server.address': where?.address, 'server.port': where?.port,
            'detour.endpoint': event.endpoint, 'detour.attempt.number': event.attempt, 'detour.attempt.kind': kind,
            ...next?.attributes,
          }),
        );
        next = undefined;
        return;
      }
      case 'cost-record': {
        const span = current ?? streaming;
        span?.setAttributes(defined({
          'gen_ai.usage.input_tokens': event.usage.inputTokens, 'gen_ai.usage.output_tokens': event.usage.outputTokens,
          'detour.cost.usd': event.costUsd, 'detour.cost.estimated': event.estimated, 'detour.cost.outcome': event.outcome,
        }));
        if (event.costUsd !== undefined) {
          priced = true;
          costUsd += event.costUsd;
          if (event.outcome !== 'success') wastedUsd += event.costUsd;
        }
        if (event.outcome === 'success') {
          requestSpan.setAttributes({ 'gen_ai.usage.input_tokens': event.usage.inputTokens, 'gen_ai.usage.output_tokens': event.usage.outputTokens });
        }
        return;
      }
      case 'cooldown-start':
        current?.addEvent('detour.cooldown', defined({
          'detour.endpoint': event.endpoint, 'detour.cooldown.until': event.until, 'detour.cooldown.disabled': event.disabled,
          'detour.cooldown.reason': event.reason, 'gen_ai.request.model': event.model,
        }));
        return;
      case 'attempt-end': {
        const span = current;
        if (!span) return;
        current = undefined;
        span.setAttributes(defined({ 'http.response.status_code': event.status, 'detour.outcome.kind': event.kind }));
        if (event.kind !== 'success') {
          span.setAttributes({ 'error.type': event.kind });
          span.setError(scrub(event.reason));
          span.end();
          return;
        }
        const candidate = currentCandidate;
        const model = candidate?.upstreamModel ?? event.model;
        // Detour does not parse the answer's own `model` field: the response model is the one the endpoint was sent.
        if (model !== undefined) span.setAttributes({ 'gen_ai.response.model': model });
        served = { provider: candidate ? endpointAttributes(candidate.endpoint).provider : 'openai', model };
        if (state.prepared.stream) streaming = span;
        else span.end();
        return;
      }
      case 'retry-wait':
        requestSpan.addEvent('detour.retry_wait', defined({ 'detour.retry.delay_ms': event.delayMs, 'detour.retry.reason': scrub(event.reason), 'detour.endpoint': event.endpoint }));
        return;
      case 'admission-dequeue':
        queueWaitMs += event.waitedMs;
        return;
      case 'admission-refuse':
        requestSpan.setAttributes({ 'detour.admission.refused': event.reason });
        return;
      case 'stream-rescue':
        requestSpan.setAttributes(defined({
          'detour.rescue.outcome': event.outcome, 'detour.rescue.mode': event.mode, 'detour.rescue.from': event.from, 'detour.rescue.to': event.to,
        }));
        return;
      case 'request-end': {
        const code = event.code;
        if (current) {
          current.setAttributes({ 'error.type': code ?? 'internal_error' });
          current.setError(code ?? 'internal_error');
          current.end();
          current = undefined;
        }
        endStreaming(code);
        requestSpan.setAttributes(defined({
          'detour.endpoint': event.endpoint, 'detour.attempts': event.attempts, 'detour.outcome': code ?? 'success',
          'detour.first_byte_ms': event.firstByteMs, 'detour.queue.wait_ms': queueWaitMs > 0 ? queueWaitMs : undefined,
          'detour.cost.usd': priced ? costUsd : undefined, 'detour.cost.wasted_usd': priced ? wastedUsd : undefined,
          'gen_ai.provider.name': served?.provider, 'gen_ai.response.model': served?.model, 'error.type': code,
        }));
        if (code !== undefined) requestSpan.setError(code);
        requestSpan.end();
        return;
      }
      default:
        return;
    }
  };
};
