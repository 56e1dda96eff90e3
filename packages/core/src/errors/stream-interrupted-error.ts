import { DetourError } from './detour-error';

/**
 * A streamed response broke after bytes had reached the caller: the upstream closed without the terminating
 * event, reset the connection, or sent an error event mid-stream. Raised from the body so a cut stream never
 * looks like a clean end.
 */
export class StreamInterruptedError extends DetourError {
  readonly endpoint: string;
  readonly bytesDelivered: number;

  constructor({ endpoint, bytesDelivered, reason, cause }: {
    endpoint: string; bytesDelivered: number; reason: string; cause?: unknown;
  }) {
    super('stream_interrupted', {
      message: `The stream from endpoint "${endpoint}" was interrupted after ${bytesDelivered} bytes: ${reason}.`,
      cause,
    });
    this.name = 'StreamInterruptedError';
    this.endpoint = endpoint;
    this.bytesDelivered = bytesDelivered;
  }
}
