import { admitThroughBreaker, adoptSharedBreaker, createQuotaLedger, depositRequest, emptyRetryBudget, liveModelCooldowns, modelCooldownUntil, type RetryBudgetOptions, type RetryBudgetState, spendRetry } from '@detour/core/store';
import { createMemoryStore, type EndpointState, type MemoryStore } from '@detour/core';
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
  #budget: RetryBudgetState = emptyRetryBudget;
  // The fleet's quota ledger (admission), like the budget a few windows of counts: in memory only.
  readonly #quota = createQuotaLedger();

  /** Loads every endpoint's state before the first request is let in. */
  constructor(context: StateObjectContext, _env?: unknown) {
    this.#context = context;
    void context.blockConcurrencyWhile(async () => {
      const stored = await context.storage.list<EndpointState>({ prefix: endpointKey });
      // Storage hands back plain objects: model cooldowns become a prototype-free map again (and capped). Expired
      // ones go at the next write, which carries the writer's clock.
      for (const [key, state] of stored) {
        const modelCooldowns = liveModelCooldowns(state.modelCooldowns, Number.NEGATIVE_INFINITY);
        this.#states.write(key.slice(endpointKey.length), { ...state, modelCooldowns });
      }
    });
  }

  /** Answers one operation of `state-object-protocol.ts`. */
  async fetch(request: Request): Promise<Response> {
    const operation = new URL(request.url).pathname.slice(1) as StateObjectOperation;
    // Own operations only: a path such as `/constructor` or `/toString` must not reach Object.prototype.
    if (!Object.hasOwn(this.#handlers, operation)) return new Response('unknown operation', { status: 404 });
    const handler = this.#handlers[operation] as (body: unknown) => Promise<unknown>;
    return Response.json(await handler(await request.json()));
  }

  readonly #handlers: { [Name in StateObjectOperation]: (body: StateObjectOperations[Name]['request']) => Promise<StateObjectOperations[Name]['response']> } = {
    sync: async ({ deposits, budget }) => {
      if (budget) this.#deposit(deposits, budget);
      // Bounded: every cooldown write prunes expired model cooldowns (by the writer's clock) and caps them.
      return Object.fromEntries(this.#states.entries());
    },
    'raise-deadline': async ({ endpoint, field, model, until, reason, now }) => {
      const before = this.#states.read(endpoint);
      if (field === 'disable') this.#states.disable(endpoint, until, reason);
      else this.#states.coolDown(endpoint, until, model, reason, now);
      // The memory store sets the reason even when the deadline did not move; the reason follows the later deadline.
      const after = this.#states.read(endpoint);
      const moved = after.cooldownUntil !== before.cooldownUntil || after.disabledUntil !== before.disabledUntil
        || (model !== undefined && modelCooldownUntil(after.modelCooldowns, model) !== modelCooldownUntil(before.modelCooldowns, model));
      // Pruning expired model cooldowns applies either way.
      return this.#save(endpoint, moved ? after : { ...before, modelCooldowns: after.modelCooldowns });
    },
    transition: async ({ endpoint, breaker }) => {
      const state = this.#states.read(endpoint);
      return this.#save(endpoint, { ...state, breaker: adoptSharedBreaker(state.breaker, breaker) });
    },
    'take-probe': async ({ endpoint, now, options, breaker }) => {
      const state = this.#states.read(endpoint);
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
      const result = spendRetry(this.#budget, now, options);
      this.#budget = result.state;
      return { allowed: result.allowed };
    },
    'exchange-quota': async ({ report, now }) => this.#quota.exchange(report, now),
  };

  #deposit(deposits: PendingDeposits, options: RetryBudgetOptions) {
    for (const [start, requests] of deposits) {
      for (let count = 0; count < requests; count += 1) this.#budget = depositRequest(this.#budget, start, options);
    }
  }

  async #save(endpoint: string, state: EndpointState): Promise<EndpointState> {
    // Only the shared part of the breaker is kept: window counts stay with each Worker.
    const stored: EndpointState = { ...state, breaker: { ...state.breaker, window: [], consecutiveFailures: 0 } };
    this.#states.write(endpoint, stored);
    await this.#context.storage.put(endpointKey + endpoint, stored);
    return stored;
  }
}
