// The same key in every copy of @detour/core, so `isInstance` works where a bundle holds two copies and
// `instanceof` quietly fails.
const marker = Symbol.for('detour.error');

/** Options every Detour error takes. */
export interface DetourErrorOptions {
  readonly message: string;
  /** Whether trying again (here or elsewhere) may succeed. @default false */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * The base of every error Detour throws. `code` is stable once released; `retryable` is data, set by
 * classification, not something callers infer from the message.
 */
export class DetourError extends Error {
  /** A stable, machine-readable code such as `attempts_exhausted`. */
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, { message, retryable = false, cause }: DetourErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'DetourError';
    this.code = code;
    this.retryable = retryable;
    Object.defineProperty(this, marker, { value: true });
  }

  /** True for any Detour error, whichever copy of the package made it. */
  static isInstance(value: unknown): value is DetourError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}
