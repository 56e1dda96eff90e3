import { DetourError } from './detour-error';

/** Text ended by one full stop: a runtime's own message may bring one (workerd's "Network connection lost."). */
const sentence = (text: string): string => (text.endsWith('.') ? text : `${text}.`);

/**
 * A streamed response broke after bytes had reached the caller: the upstream closed without the terminating
 * event, reset the connection, or sent an error event mid-stream. Raised from the body so a cut stream never
 * looks like a clean end.
 */
export class StreamInterruptedError extends DetourError {
  /** The endpoint whose stream broke (on a rescued stream, the first one that did). */
  readonly endpoint: string;
  readonly bytesDelivered: number;
  /** What broke it, in words (`the upstream stalled: no bytes for 60000 ms`). */
  readonly reason: string;
  /** Set when a mid-stream rescue was tried and did not save the answer: what became of it. */
  readonly rescue: string | undefined;
  /**
   * The caller's stream already carries this error as its last event (an SSE `error` event with this message).
   * Whoever relays the stream may then end it gracefully: a reset could drop that event before the client reads it.
   */
  readonly sentAsEvent: boolean;

  constructor({ endpoint, bytesDelivered, reason, cause, rescue, sentAsEvent = false }: {
    endpoint: string; bytesDelivered: number; reason: string; cause?: unknown; rescue?: string; sentAsEvent?: boolean;
  }) {
    super('stream_interrupted', {
      message: `The stream from endpoint "${endpoint}" was interrupted after ${bytesDelivered} bytes: ${sentence(reason)}${rescue === undefined ? '' : ` A rescue was tried and failed: ${sentence(rescue)}`}`,
      cause,
    });
    this.name = 'StreamInterruptedError';
    this.endpoint = endpoint;
    this.bytesDelivered = bytesDelivered;
    this.reason = reason;
    this.rescue = rescue;
    this.sentAsEvent = sentAsEvent;
  }
}
