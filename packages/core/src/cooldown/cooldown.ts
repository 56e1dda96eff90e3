import { jitterServerDelay } from '../backoff/backoff';
import type { Classification } from '../classification/classification';
import type { Random } from '../ports/random';

/** How long each kind of cooldown lasts when the provider gives no reset. */
export interface CooldownOptions {
  /** A 429 with no delay or reset hint at all. @default 1000 */
  readonly rateLimitedMs: number;
  /**
   * How long an overloaded answer (529, 503 overloaded / slow_down, Groq's 498) steps its endpoint out of rotation. With no delay
   * named by the server the step is soft: the endpoint is passed over while another can take the request, never
   * refused for it (see `CooldownDecision`). 0 turns the soft step off. @default 2000
   */
  readonly overloadedMs: number;
  /**
   * The longest a quota, billing or auth failure with no known reset disables the endpoint (a model's own quota or
   * access cools only that model as long): how long a key still refused waits between two rechecks at most, and so
   * how long a topped-up balance waits at most. A known reset is waited out instead, up to a day. @default 900000
   */
  readonly disableMs: number;
  /**
   * How long the first such failure with no known reset holds the endpoint (or model): each refusal after a hold ran
   * out doubles the next, up to `disableMs`, and an answer that shows the provider took the key ends the run. So a
   * topped-up balance, a restored key or a model access granted is served again within minutes, and a key that stays
   * refused costs one failed attempt a hold on each router (one request rechecks while the others go elsewhere; a
   * request with nowhere else to go is sent all the same). Set it to `disableMs` for one fixed hold. Unset (a caller
   * of `decideCooldown` with options of its own): `disableMs`. @default 300000
   */
  readonly firstDisableMs?: number;
}

/**
 * How long a quota, billing or auth failure with no known reset holds its endpoint or model, after `refusals` such
 * failures in a row before it (see `CooldownOptions.firstDisableMs`).
 */
export const disableHoldMs = (options: CooldownOptions, refusals: number): number =>
  Math.min(options.disableMs, (options.firstDisableMs ?? options.disableMs) * 2 ** refusals);

/** What an outcome does to an endpoint's availability. */
export type CooldownDecision =
  | { readonly type: 'none' }
  /**
   * Not before `until`: endpoint-wide, or for one model when the provider limits per model or a quota or access
   * failure is the model's (`Classification.perModel`). `soft`: an overload with
   * no delay named by the server, a guess rather than a signal. It is kept by the router that saw it and only passes
   * the endpoint over while another can take the request: stored as a hard cooldown, sporadic 529s (1 % of answers
   * over three endpoints) left every endpoint cooling at once for a third of the time, and those requests were refused.
   */
  | { readonly type: 'cool'; readonly until: number; readonly model: string | undefined; readonly reason: string; readonly soft?: boolean }
  /** Disabled until `until`: a hold that grows from `firstDisableMs` up to `disableMs`, or the known reset of a quota. */
  | { readonly type: 'disable'; readonly until: number; readonly reason: string };

/**
 * Turns a classified outcome into a cooldown. Rate limits cool the endpoint for the model that hit them (OpenAI
 * and Anthropic limit per model) until the provider's reset, jittered upwards only so a fleet does not return
 * in lockstep; overload cools the whole endpoint briefly (softly, when its server names no delay); quota and auth
 * failures disable it until a known reset, or for a hold that grows with each refusal in a row (`disableHoldMs`), or
 * cool only the model for as long when they are the model's (`Classification.perModel`).
 */
export const decideCooldown = (
  outcome: Classification,
  { now, model, options, random, refusals = 0 }: {
    now: number; model: string | undefined; options: CooldownOptions; random: Random;
    /** Refusals of the same endpoint (or model) and credential in a row before this one (`refusal-streaks.ts`). */
    refusals?: number;
  },
): CooldownDecision => {
  switch (outcome.cooldown) {
    case 'until_reset': {
      const delayMs = outcome.delayMs ?? options.rateLimitedMs;
      return { type: 'cool', until: now + jitterServerDelay(delayMs, random, 0.1), model, reason: outcome.reason };
    }
    case 'short': {
      if (outcome.delayMs !== undefined && outcome.delayMs > 0) {
        return { type: 'cool', until: now + Math.max(options.overloadedMs, outcome.delayMs), model: undefined, reason: outcome.reason };
      }
      return options.overloadedMs > 0 ? { type: 'cool', until: now + options.overloadedMs, model: undefined, reason: outcome.reason, soft: true } : { type: 'none' };
    }
    case 'long': {
      const until = now + (outcome.delayMs && outcome.delayMs > 0 ? outcome.delayMs : disableHoldMs(options, refusals));
      // A model's own quota or access: that model cools, as long, and the endpoint serves the others.
      if (outcome.perModel && model !== undefined) return { type: 'cool', until, model, reason: outcome.reason };
      return { type: 'disable', until, reason: outcome.reason };
    }
    default:
      return { type: 'none' };
  }
};

/** Merges a new "not before" deadline into an old one: the later deadline always wins. */
export const laterDeadline = (current: number | undefined, next: number): number => Math.max(current ?? 0, next);
