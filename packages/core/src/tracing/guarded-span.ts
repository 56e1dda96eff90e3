import type { TraceSpan } from './tracer';

/** Runs one call on a tracer's span, dropping what it throws. */
const safely = (call: () => void): void => {
  try {
    call();
  } catch {
    // Only this call is lost: the request, and the span's later calls, go on.
  }
};

/**
 * The span with each call isolated. A tracer may throw from any call (the OpenTelemetry SDK does not catch a span
 * processor's `onEnd`, so `end()` throws what it throws): one handler around all of a request's span calls let such a
 * throw skip the calls after it, and a stream's attempt span that threw as it ended left the request span open, never
 * exported (attack 21, tracing T1).
 */
export const guardedSpan = (span: TraceSpan): TraceSpan => ({
  isRecording: () => {
    try {
      return span.isRecording();
    } catch {
      return false;
    }
  },
  setAttributes: (attributes) => safely(() => span.setAttributes(attributes)),
  addEvent: (name, attributes) => safely(() => span.addEvent(name, attributes)),
  setError: (message) => safely(() => span.setError(message)),
  end: () => safely(() => span.end()),
});
