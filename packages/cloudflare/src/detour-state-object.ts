import {
  admitThroughBreaker, adoptSharedBreaker, depositRequest, emptyRetryBudget, fleetHorizonMs, modelCooldownUntil,
  type RetryBudgetOptions, type RetryBudgetState, spendRetry,
} from '@detour/core/store';
import { createMemoryStore, type EndpointState, type MemoryStore } from '@detour/core';
import { createObjectQuotaLedger } from './object-quota-ledger';
import { isOperationRequest, readStoredState } from './operation-checks';
import type { PendingDeposits, StateObjectOperation, StateObjectOperations } from './state-object-protocol';

/** The parts of a Durable Object's state this class uses (a real `DurableObjectState` has them all). */
export interface StateObjectContext {
  readonly storage: {
    get<T>(key: string): Promise<T | undefined>;
    put<T>(key: string, value: T): Promise<void>;
    list<T>(options: { prefix: string }): Promise<Map<string, T>>;
  };
  blockConcurrencyWhile<T>(run: () => Promise<T>): Promise<T>;
}

const endpointKey = 'endpoint:';
/** Endpoints the object keeps at most: far more than a fleet configures, so invented names cannot grow it. */
export const maxObjectEndpoints = 1024;

/**
 * The Durable Object a fleet of Workers shares endpoint state through. A Durable Object runs one request at a time,
 * so core's reducers run inside it as they are: deadlines merge with `laterDeadline` (through a core memory store),
 * breaker transitions with `mergeSharedBreaker`, probe slots with `admitThroughBreaker`, and the retry budget with
 * `depositRequest`/`spendRetry`. Endpoint states persist in its storage; the retry budget, a few seconds of
 * counts, lives in memory only. Bind it in wrangler as `{ name: 'DETOUR_STATE', class_name: 'DetourStateObject' }`.
 */
export class DetourStateObject {
  readonly #context: StateObjectContext;
  readonly #states: MemoryStore = createMemoryStore();
  // The endpoints it holds state for, to cap them (the memory store has no count, and is written before a save).
  readonly #endpoints = new Set<string>();
  #budget: RetryBudgetState = emptyRetryBudget;
  // The fleet's quota ledger (admission), like the budget a few windows of counts: in memory only.
  readonly #quota = createObjectQuotaLedger();

  /** Loads every endpoint's state before the first request is let in. */
  constructor(context: StateObjectContext, _env?: unknown) {
    this.#context = context;
    void context.blockConcurrencyWhile(async () => {
      const stored = await context.storage.list<unknown>({ prefix: endpointKey });
      // Storage hands back plain objects, possibly of another version's shape: each is read field by field (model
      // cooldowns as a prototype-free map, capped; expired ones go at the next write, which carries the writer's
      // clock), so one bad value cannot keep the object from starting.
      for (const [key, state] of stored) {
        if (this.#endpoints.size >= maxObjectEndpoints) break;
        const endpoint = key.slice(endpointKey.length);
        this.#states.write(endpoint, readStoredState(state, Date.now()));
        this.#endpoints.add(endpoint);
      }
    });
  }

  /** Answers one operation of `state-object-protocol.ts`. */
  async fetch(request: Request): Promise<Response> {
    const operation = new URL(request.url).pathname.slice(1) as StateObjectOperation;
    // Own operations only: a path such as `/constructor` or `/toString` must not reach Object.prototype.
    if (!Object.hasOwn(this.#handlers, operation)) return new Response('unknown operation', { status: 404 });
    const handler = this.#handlers[operation] as (body: unknown) => Promise<unknown>;
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      body = undefined;
    }
    if (!isOperationRequest(operation, body)) return new Response(`malformed ${operation} request`, { status: 400 });
    const { endpoint } = body as { endpoint?: string };
    if (endpoint !== undefined && !this.#endpoints.has(endpoint) && this.#endpoints.size >= maxObjectEndpoints) {
      return new Response(`the object keeps at most ${maxObjectEndpoints} endpoints`, { status: 400 });
    }
    return Response.json(await handler(body));
  }

  /** Whether a deadline lies past the fleet horizon from the object's clock: no member would adopt it. */
  #beyondHorizon(until: number): boolean {
    return until > Date.now() + fleetHorizonMs;
  }

  readonly #handlers: { [Name in StateObjectOperation]: (body: StateObjectOperations[Name]['request']) => Promise<StateObjectOperations[Name]['response']> } = {
    sync: async ({ deposits, budget }) => {
      if (budget) this.#deposit(deposits, budget);
      // Bounded: every cooldown write prunes expired model cooldowns (by the writer's clock) and caps them.
      return Object.fromEntries(this.#states.entries());
    },
    'raise-deadline': async ({ endpoint, field, model, until, reason, now, credential }) => {
      const before = this.#states.read(endpoint);
      // Kept, it would outlast every shorter deadline (the later one wins) while no member adopts it.
      if (this.#beyondHorizon(until) || until > now + fleetHorizonMs) return before;
      if (field === 'disable') this.#states.disable(endpoint, until, reason, credential ?? undefined);
      else this.#states.coolDown(endpoint, until, model, reason, now);
      // The memory store sets the reason even when the deadline did not move; the reason follows the later deadline.
      const after = this.#states.read(endpoint);
      const moved = after.cooldownUntil !== before.cooldownUntil || after.disabledUntil !== before.disabledUntil || after.disabledBy !== before.disabledBy
        || (model !== undefined && modelCooldownUntil(after.modelCooldowns, model) !== modelCooldownUntil(before.modelCooldowns, model));
      // Pruning expired model cooldowns applies either way.
      return this.#save(endpoint, moved ? after : { ...before, modelCooldowns: after.modelCooldowns });
    },
    transition: async ({ endpoint, breaker }) => {
      const state = this.#states.read(endpoint);
      if (this.#beyondHorizon(breaker.openUntil)) return state;
      return this.#save(endpoint, { ...state, breaker: adoptSharedBreaker(state.breaker, breaker) });
    },
    'take-probe': async ({ endpoint, now, options, breaker }) => {
      const state = this.#states.read(endpoint);
      if (this.#beyondHorizon(breaker.openUntil)) return { admitted: false, state };
      // The caller's breaker is news too: a Worker may have opened it before its transition arrived here.
      const merged = adoptSharedBreaker(state.breaker, breaker);
      if (merged.position === 'closed') return { admitted: false, state: await this.#save(endpoint, { ...state, breaker: merged }) };
      const admission = admitThroughBreaker(merged, now, options);
      return { admitted: admission.admitted, state: await this.#save(endpoint, { ...state, breaker: admission.state }) };
    },
    'release-probe': async ({ endpoint, start }) => {
      const state = this.#states.read(endpoint);
      const index = start === undefined ? 0 : state.breaker.probes.indexOf(start);
      // A slot that timed out (or a breaker that moved on) is gone already: nothing to free, and no other slot.
      if (index === -1) return state;
      const probes = state.breaker.probes.filter((_, position) => position !== index);
      return this.#save(endpoint, { ...state, breaker: { ...state.breaker, probes } });
    },
    'spend-retry': async ({ now, options, deposits }) => {
      this.#deposit(deposits, options);
      // Never later than the object's clock: a member an hour fast would otherwise find every bucket expired.
      const result = spendRetry(this.#budget, Math.min(now, Date.now()), options);
      this.#budget = result.state;
      return { allowed: result.allowed };
    },
    // The ledger runs on the object's clock; an answer holds the pairs reported since the caller's cursor. A caller
    // that sends none (an earlier version) gets every pair, as a plain list.
    'exchange-quota': async ({ report, now, since }) => {
      const answer = this.#quota.exchange(report, Date.now(), since ?? 0, now);
      return since === undefined ? answer.shares : answer;
    },
  };

  #deposit(deposits: PendingDeposits, options: RetryBudgetOptions) {
    // Buckets dated after the object's clock would expire every earlier one: a fast member reset the fleet's budget.
    const latest = Date.now();
    // A second's count at once: a count is caller input, and a deposit per request let one sync hold the object for
    // as long as it said.
    for (const [start, requests] of deposits) {
      if (requests > 0) this.#budget = depositRequest(this.#budget, Math.min(start, latest), options, requests);
    }
  }

  async #save(endpoint: string, state: EndpointState): Promise<EndpointState> {
    // Only the shared part of the breaker is kept: window counts stay with each Worker.
    const stored: EndpointState = { ...state, breaker: { ...state.breaker, window: [], consecutiveFailures: 0 } };
    this.#endpoints.add(endpoint);
    this.#states.write(endpoint, stored);
    await this.#context.storage.put(endpointKey + endpoint, stored);
    return stored;
  }
}
