import { DetourError } from './detour-error';

/**
 * Every endpoint that could serve the request is open, cooling or disabled. Thrown at once, without sleeping;
 * `retryAfterMs` says when the earliest one frees up (undefined when none will by itself, e.g. all disabled).
 */
export class NoEndpointAvailableError extends DetourError {
  readonly retryAfterMs: number | undefined;
  readonly model: string | undefined;

  constructor({ retryAfterMs, model }: { retryAfterMs: number | undefined; model: string | undefined }) {
    const when = retryAfterMs === undefined ? 'none frees up by itself' : `the earliest frees up in ${retryAfterMs} ms`;
    super('no_endpoint_available', {
      message: `No endpoint can take this request${model ? ` for model "${model}"` : ''}: ${when}.`,
      retryable: retryAfterMs !== undefined,
    });
    this.name = 'NoEndpointAvailableError';
    this.retryAfterMs = retryAfterMs;
    this.model = model;
  }
}
