import type { Fault } from '../types';
import type { DeliveryPlan } from '../write-reply';
import type { ErrorReply } from './error-reply';
import { rateLimitReply } from './rate-limit-dialects';
import { contextLengthReply, insufficientQuotaReply, unauthorizedReply } from './request-error-replies';
import { statusReply } from './status-reply';

/** What the server does about a fault. */
export type FaultAction =
  /** Answer with an error instead of the healthy reply. */
  | { kind: 'reply'; reply: ErrorReply }
  /** Send the healthy reply, after `delayMs` and according to `plan`. */
  | { kind: 'deliver'; delayMs: number; plan: Omit<DeliveryPlan, 'chunkDelayMs'> & { chunkDelayMs?: number } }
  /** Send a TCP RST before any response byte. */
  | { kind: 'reset' }
  /** Never answer. */
  | { kind: 'hang' };

/** Facts about the request that some fault replies quote. */
export interface FaultRequest {
  now: number;
  model: string;
  requestId: string;
  promptTokens: number;
  authorization: string | undefined;
}

/** The outcome a fault is recorded under: its type, or `status-<code>` for a status fault. */
export function outcomeOf(fault: Fault): string {
  return fault.type === 'status' ? `status-${fault.status}` : fault.type;
}

/**
 * Turns a scripted fault into what the server should do, keeping the decision apart from the sockets so each
 * fault's reply can be read in one place.
 */
export function faultAction(fault: Fault, request: FaultRequest): FaultAction {
  switch (fault.type) {
    case 'rate-limit': {
      const context = {
        retryAfterMs: fault.retryAfterMs ?? 1000,
        perDay: fault.perDay ?? false,
        now: request.now,
        model: request.model,
        requestId: request.requestId,
      };
      return { kind: 'reply', reply: rateLimitReply(fault.dialect, context) };
    }
    case 'insufficient-quota':
      return { kind: 'reply', reply: insufficientQuotaReply() };
    case 'context-length':
      return { kind: 'reply', reply: contextLengthReply(request.promptTokens) };
    case 'unauthorized':
      return { kind: 'reply', reply: unauthorizedReply(request.authorization) };
    case 'status':
      return { kind: 'reply', reply: statusReply(fault.status, fault.body, fault.headers) };
    case 'slow-first-byte':
      return { kind: 'deliver', delayMs: fault.delayMs, plan: {} };
    case 'slow-body':
      return { kind: 'deliver', delayMs: 0, plan: { chunkDelayMs: fault.chunkDelayMs, slowJson: true } };
    case 'cut-stream':
      return { kind: 'deliver', delayMs: 0, plan: { cutAfterChunks: fault.afterChunks, cutMode: fault.mode ?? 'close' } };
    case 'malformed-sse':
      return { kind: 'deliver', delayMs: 0, plan: { malformedAfterChunks: fault.afterChunks ?? 1 } };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
  }
}
