import { anthropicOverloadedReply, anthropicStatusReply, creditBalanceReply, invalidKeyReply, promptTooLongReply } from '../anthropic/fault-replies';
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

/** Which API's error shapes a route answers in. */
export type ErrorDialect = 'openai' | 'anthropic';

/** Facts about the request that some fault replies quote. */
export interface FaultRequest {
  now: number;
  model: string;
  requestId: string;
  promptTokens: number;
  authorization: string | undefined;
  /** The error shape of the route that was asked. */
  api: ErrorDialect;
  path: string;
  /** Whether the request asked for a stream. */
  stream: boolean;
}

/** A break point as plan fields: `cutAfterChunks` or `cutAfterTokens`, and so on; tokens win when both are given. */
function breakPoint(prefix: 'cut' | 'malformed' | 'error', chunks: number | undefined, tokens: number | undefined): Partial<DeliveryPlan> {
  return tokens === undefined ? { [`${prefix}AfterChunks`]: chunks } : { [`${prefix}AfterTokens`]: tokens };
}

/** The outcome a fault is recorded under: its type, or `status-<code>` for a status fault. */
export function outcomeOf(fault: Fault): string {
  return fault.type === 'status' ? `status-${fault.status}` : fault.type;
}

/** Errors that each API words its own way. */
function requestErrorReply(type: 'insufficient-quota' | 'context-length' | 'unauthorized', request: FaultRequest): ErrorReply {
  if (request.api === 'anthropic') {
    if (type === 'insufficient-quota') return creditBalanceReply(request.requestId);
    if (type === 'context-length') return promptTooLongReply(request.promptTokens, request.requestId);
    return invalidKeyReply(request.requestId);
  }
  if (type === 'insufficient-quota') return insufficientQuotaReply();
  if (type === 'context-length') return contextLengthReply(request.promptTokens, request.path === '/v1/responses');
  return unauthorizedReply(request.authorization);
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
    case 'context-length':
    case 'unauthorized':
      return { kind: 'reply', reply: requestErrorReply(fault.type, request) };
    case 'status': {
      const reply =
        request.api === 'anthropic'
          ? anthropicStatusReply(fault.status, request.requestId, fault.body, fault.headers)
          : statusReply(fault.status, fault.body, fault.headers);
      return { kind: 'reply', reply };
    }
    case 'slow-first-byte':
      return { kind: 'deliver', delayMs: fault.delayMs, plan: {} };
    case 'slow-body':
      return { kind: 'deliver', delayMs: 0, plan: { chunkDelayMs: fault.chunkDelayMs, slowJson: true } };
    case 'cut-stream':
      return {
        kind: 'deliver',
        delayMs: 0,
        plan: { ...breakPoint('cut', fault.afterChunks, fault.afterTokens), cutMode: fault.mode ?? 'close' },
      };
    case 'malformed-sse':
      return { kind: 'deliver', delayMs: 0, plan: breakPoint('malformed', fault.afterChunks ?? (fault.afterTokens === undefined ? 1 : undefined), fault.afterTokens) };
    case 'stream-error-event': {
      if (request.stream) {
        return {
          kind: 'deliver',
          delayMs: 0,
          plan: { ...breakPoint('error', fault.afterChunks, fault.afterTokens), errorVariant: fault.variant ?? 'error' },
        };
      }
      // A request that did not stream has no events to break: it gets the same error as a status instead.
      const reply = request.api === 'anthropic' ? anthropicOverloadedReply(request.requestId) : statusReply(500);
      return { kind: 'reply', reply };
    }
    case 'stall': {
      if (request.stream) {
        const stall = { afterTokens: fault.afterTokens, ms: fault.ms, keepAliveMs: fault.keepAliveMs };
        return { kind: 'deliver', delayMs: 0, plan: { stall } };
      }
      // A JSON answer has no middle to stall in: it is late by the stall, or never comes.
      return fault.ms === undefined ? { kind: 'hang' } : { kind: 'deliver', delayMs: fault.ms, plan: {} };
    }
    case 'vary-answer':
      // The request handler draws the other answer; delivery itself is healthy.
      return { kind: 'deliver', delayMs: 0, plan: {} };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
  }
}
