import { answeredModelName } from './model-name';
import { maxResponseIdLength } from './response-pins';

/**
 * What a Responses object says of its billing. A background response (`"background": true`) is answered at once,
 * `queued`, with no usage: nothing is generated yet, and its tokens are billed when it finishes, which the caller
 * learns by retrieving it (`GET /responses/{id}`, polled by the SDKs) or by streaming it (`?stream=true`).
 * `running`: generating, nothing to price yet. `finished`: a background response in a terminal state, to be priced
 * once, by its own `model` and `usage`, wherever it is first seen so.
 */
export type BackgroundBilling = { readonly state: 'running' } | { readonly state: 'finished'; readonly id: string; readonly model: string | undefined };

const running = Object.freeze({ state: 'running' as const });
const terminal = new Set(['completed', 'incomplete', 'failed', 'cancelled']);

/** Reads a Responses object (an answer, or a stream event's `response`); undefined for anything else. */
export const backgroundBilling = (response: unknown): BackgroundBilling | undefined => {
  if (typeof response !== 'object' || response === null) return undefined;
  const { object, status, background, id, model } = response as Record<string, unknown>;
  if (object !== 'response') return undefined;
  if (status === 'queued' || status === 'in_progress') return running;
  if (background !== true || !terminal.has(status as string) || typeof id !== 'string') return undefined;
  return { state: 'finished', id, model: answeredModelName(model) };
};

/** The background responses a router has priced, so that a second retrieval or a resumed stream is not priced again. */
export interface PricedOnce {
  /** True the first time `id` is claimed (price it), false after (already priced). */
  claim(id: string): boolean;
}

/**
 * Creates a {@link PricedOnce} remembering at most `capacity` ids, the oldest forgotten first. Ids come from
 * upstreams; one longer than any real id is priced without being remembered. A forgotten id retrieved again long
 * after is priced again: the bound is what keeps a busy router's memory flat. Per router: a fleet's members each
 * price a response the first time they see it finished.
 *
 * @param capacity @default 10000
 */
export const createPricedOnce = (capacity = 10_000): PricedOnce => {
  const priced = new Set<string>();
  return {
    claim(id) {
      if (id.length > maxResponseIdLength) return true;
      if (priced.has(id)) return false;
      priced.add(id);
      if (priced.size > capacity) priced.delete(priced.values().next().value!);
      return true;
    },
  };
};
