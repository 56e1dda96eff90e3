// Attack 23: a model-based simulation of the router under random interleavings of every feature at once.
// Everything runs on a discrete-event clock (one timer fired at a time, microtasks flushed in between), so a
// scenario replays exactly from its seed.
import type { RouterOptionsInput } from '../../src/options/router-options-schema';
import type { CallerSignal } from '../../src/ports/caller-signal';
import type { Clock } from '../../src/ports/clock';
import type { StateStore } from '../../src/ports/state-store';
import type { Transport, TransportRequest, TransportResponse } from '../../src/ports/transport';
import { createMemoryStore } from '../../src/state/memory-store';
import type { RouterEvent } from '../../src/engine/events';
import { createRouter, type Router } from '../../src/engine/router';
import type { TraceSpan, Tracer } from '../../src/tracing/tracer';

export const mulberry32 = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A discrete-event clock: time moves only by firing the earliest timer. */
export let debugTimers = false;
export const setDebugTimers = (on: boolean) => void (debugTimers = on);
export const createEventClock = (start = 1_700_000_000_000) => {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; seq: number; run: () => void; stack?: string }>();
  const clock: Clock & { fireNext(): boolean; pending(): number; nextAt(): number | undefined; advanceTo(t: number): void; stacks(): string[]; earliestStack(): string | undefined } = {
    now: () => now,
    schedule: (run, ms) => {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, Number.isFinite(ms) ? ms : 0), seq: id, run, stack: true ? new Error(`timer ${ms}ms at ${now - start}`).stack : undefined });
      return id;
    },
    cancel: (handle) => void timers.delete(handle as number),
    nextAt() {
      let best: number | undefined;
      for (const t of timers.values()) if (best === undefined || t.at < best) best = t.at;
      return best;
    },
    fireNext() {
      let bestId: number | undefined;
      let best: { at: number; seq: number; run: () => void } | undefined;
      for (const [id, t] of timers) {
        if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) {
          best = t;
          bestId = id;
        }
      }
      if (!best) return false;
      timers.delete(bestId!);
      now = Math.max(now, best.at);
      best.run();
      return true;
    },
    advanceTo(t: number) {
      now = Math.max(now, t);
    },
    pending: () => timers.size,
    stacks: () => [...timers.values()].map((t) => t.stack ?? ''),
    earliestStack: () => {
      let best: { at: number; seq: number; stack?: string } | undefined;
      for (const t of timers.values()) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
      return best?.stack;
    },
  };
  return clock;
};

export type ReplyKind =
  | 'ok' | 'ok-quota' | 'r429' | 'r500' | 'r503' | 'neterr' | 'hang' | 'slow' | 'cut-error' | 'cut-close' | 'truncated-json' | 'stall';

export interface Scenario {
  seed: number;
  endpoints: number;
  options: Partial<RouterOptionsInput>;
  asyncStore: boolean;
  traced: boolean;
  requests: { at: number; stream: boolean; abortAfter: number | undefined; readPause: number; cancelAfter: number | undefined }[];
  shutDownAt: number | undefined;
  /** Weights of reply kinds. */
  weights: Partial<Record<ReplyKind, number>>;
  words: number;
  /** Review: every store call of the async store may take up to this long (a slow Redis, a far Durable Object). */
  slowStoreMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const chunkOf = (content: string, finish: string | null = null) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4.1', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

export const wordsOf = (n: number) => Array.from({ length: n }, (_, k) => `w${k} `);

export interface Violation {
  law: string;
  detail: string;
}

interface CallRecord {
  signalAborted: boolean;
  callerAborted: boolean;
  cooling: boolean;
  rid: string;
  endpoint: string;
  at: number;
  afterShutDown: boolean;
  breakerOpenNow: boolean;
}

interface Req {
  rid: string;
  stream: boolean;
  model: string;
  startedAt: number;
  deadlineAt: number;
  abortedAt: number | undefined;
  controller: AbortController;
  listeners: Set<unknown>;
  sentAfterShutDown: boolean;
  done: boolean;
  outcome: string;
  resultAttempts: number | undefined;
  errorCode: string | undefined;
  streamClean: boolean | undefined;
  text: string;
  trace: TraceRecord | undefined;
  settledAt?: number;
  resultCost: number | undefined;
}

interface TraceRecord {
  ends: number;
  spanEnds: number;
  attrs: Record<string, unknown>;
  attemptsStarted: number;
  attemptsEnded: number;
  attemptDoubleEnd: number;
  costs: number[];
}

const pickKind = (random: () => number, weights: Partial<Record<ReplyKind, number>>): ReplyKind => {
  const entries = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as [ReplyKind, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = random() * total;
  for (const [k, w] of entries) {
    r -= w;
    if (r < 0) return k;
  }
  return entries[entries.length - 1]![0];
};

const flush = async () => {
  for (let i = 0; i < 4; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export interface RunResult {
  violations: Violation[];
  events: RouterEvent[];
  requests: Req[];
  calls: CallRecord[];
  stuck: boolean;
}

export const runScenario = async (scenario: Scenario): Promise<RunResult> => {
  if (process.env.ENGINE_LAWS_TRACE_FILE) (await import('node:fs')).writeFileSync(process.env.ENGINE_LAWS_TRACE_FILE, JSON.stringify(scenario));
  const random = mulberry32(scenario.seed);
  const routerRandom = mulberry32(scenario.seed ^ 0x5bd1e995);
  const clock = createEventClock();
  const t0 = clock.now();
  const memory = createMemoryStore();
  const violations: Violation[] = [];
  const v = (law: string, detail: string) => violations.push({ law, detail });
  let shutDown = false;
  const names = Array.from({ length: scenario.endpoints }, (_, i) => `e${i}`);
  const words = wordsOf(scenario.words);
  const fullText = words.join('');

  // The async store: every operation waits a random number of microtasks first.
  const delayed = async () => {
    if (scenario.slowStoreMs !== undefined) {
      const ms = Math.floor(random() * scenario.slowStoreMs);
      await new Promise<void>((resolve) => clock.schedule(resolve, ms));
      return;
    }
    if (random() < 0.5) {
      const ms = Math.floor(random() * 4);
      await new Promise<void>((resolve) => clock.schedule(resolve, ms));
      return;
    }
    const n = Math.floor(random() * 4);
    for (let i = 0; i < n; i++) await Promise.resolve();
  };
  const store: StateStore = scenario.asyncStore
    ? {
        read: async (e) => (await delayed(), memory.read(e)),
        admit: async (e, now, o) => (await delayed(), memory.admit(e, now, o)),
        recordResult: async (e, r, o) => (await delayed(), memory.recordResult(e, r, o)),
        coolDown: async (e, u, m, r, n) => (await delayed(), memory.coolDown(e, u, m, r, n)),
        disable: async (e, u, r, c) => (await delayed(), memory.disable(e, u, r, c)),
        depositRequest: async (n, o) => (await delayed(), memory.depositRequest(n, o)),
        spendRetry: async (n, o) => (await delayed(), memory.spendRetry(n, o)),
      }
    : memory;

  const calls: CallRecord[] = [];
  const transitions: { endpoint: string; change: string }[] = [];
  for (const method of ['admit', 'recordResult'] as const) {
    const inner = memory[method].bind(memory) as (...a: unknown[]) => unknown;
    (memory as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      const endpoint = a[0] as string;
      const before = memory.read(endpoint).breaker.position;
      const out = inner(...a);
      const after = memory.read(endpoint).breaker.position;
      if (before !== after) transitions.push({ endpoint, change: `${before}->${after}` });
      return out;
    };
  }
  // Retries the budget granted, counted: same-endpoint re-attempts never exceed them.
  let retriesGranted = 0;
  {
    const innerSpend = memory.spendRetry.bind(memory) as (...a: unknown[]) => boolean;
    (memory as unknown as Record<string, unknown>).spendRetry = (...a: unknown[]) => {
      const out = innerSpend(...a);
      if (out) retriesGranted += 1;
      return out;
    };
  }
  const callsOf = (rid: string) => calls.filter((c) => c.rid === rid).length;
  const inflightBodies = new Set<unknown>();

  const makeStreamBody = (
    chunks: Uint8Array[], end: 'done' | 'error' | 'close' | 'stall', gap: number, signal: CallerSignal,
  ): { iterator: AsyncIterator<Uint8Array>; cancel: () => void } => {
    let index = 0;
    let timer: unknown;
    let finished = false;
    let pending: { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void } | undefined;
    const token = {};
    inflightBodies.add(token);
    const stop = () => {
      finished = true;
      inflightBodies.delete(token);
      if (timer !== undefined) clock.cancel(timer);
      timer = undefined;
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      const p = pending;
      pending = undefined;
      stop();
      p?.reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort);
    const iterator: AsyncIterator<Uint8Array> & AsyncIterable<Uint8Array> = {
      next: () =>
        new Promise((resolve, reject) => {
          if (finished) return resolve({ done: true, value: undefined });
          if (signal.aborted) {
            stop();
            return reject(signal.reason);
          }
          if (index >= chunks.length && end === 'stall') {
            pending = { resolve, reject };
            return; // silent forever until aborted or cancelled
          }
          pending = { resolve, reject };
          timer = clock.schedule(() => {
            timer = undefined;
            pending = undefined;
            if (index < chunks.length) return resolve({ value: chunks[index++]!, done: false });
            stop();
            if (end === 'error') reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
            else resolve({ done: true, value: undefined });
          }, gap);
        }),
      return: () => {
        const p = pending;
        pending = undefined;
        stop();
        p?.resolve({ done: true, value: undefined });
        return Promise.resolve({ done: true, value: undefined });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return { iterator, cancel: () => void iterator.return!() };
  };

  const transport: Transport = (request: TransportRequest, signal: CallerSignal) => {
    const rid = request.headers['x-req'] ?? '?';
    const st = memory.read(request.endpoint).breaker;
    const req = reqs.find((x) => x.rid === rid);
    const es = memory.read(request.endpoint);
    const model = req?.model ?? '';
    calls.push({
      signalAborted: signal.aborted, callerAborted: req?.controller.signal.aborted === true,
      cooling: es.cooldownUntil > clock.now() || (es.modelCooldowns[model] ?? 0) > clock.now() || es.disabledUntil > clock.now(),
      rid, endpoint: request.endpoint, at: clock.now(), afterShutDown: shutDown,
      breakerOpenNow: st.position === 'open' && clock.now() < st.openUntil,
    });
    const kind = pickKind(random, scenario.weights);
    const body = JSON.parse(decoder.decode(request.body as Uint8Array)) as { stream?: boolean; messages: { role: string; content: string }[] };
    const stream = body.stream === true;
    const latency = kind === 'slow' ? 200 + Math.floor(random() * 800) : Math.floor(random() * 40);
    return new Promise<TransportResponse>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      let timer: unknown;
      const onAbort = () => {
        if (timer !== undefined) clock.cancel(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      if (kind === 'hang') return;
      timer = clock.schedule(() => {
        signal.removeEventListener('abort', onAbort);
        const json = (status: number, value: unknown, headers: Record<string, string> = {}): TransportResponse => {
          const bytes = encoder.encode(typeof value === 'string' ? value : JSON.stringify(value));
          const it = makeStreamBody([bytes], 'done', 0, signal);
          return {
            status, headers: { 'content-type': 'application/json', ...headers }, headersLowerCase: true,
            body: { [Symbol.asyncIterator]: () => it.iterator }, cancel: it.cancel,
          };
        };
        switch (kind) {
          case 'neterr':
            return reject(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
          case 'r429':
            return resolve(json(429, { error: { message: 'rate limited', type: 'rate_limit_error' } }, { 'retry-after': String(Math.floor(random() * 3)) }));
          case 'r500':
            return resolve(json(500, { error: { message: 'boom', type: 'server_error' } }));
          case 'r503':
            return resolve(json(503, { error: { message: 'overloaded', type: 'server_error' } }));
          default:
        }
        const quota: Record<string, string> = kind === 'ok-quota'
          ? {
              'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': String(Math.floor(random() * 3)),
              'x-ratelimit-reset-requests': `${1 + Math.floor(random() * 3)}s`,
            }
          : {};
        // A rescue's replay or continuation: the model answers the whole text again (replay), or what follows the
        // assistant prefix (continuation). Here every request is answered with the same words.
        if (!stream) {
          const completion = {
            id: 'chatcmpl-x', object: 'chat.completion', created: 0, model: 'gpt-4.1-mini',
            choices: [{ index: 0, message: { role: 'assistant', content: fullText }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 10, completion_tokens: scenario.words, total_tokens: 10 + scenario.words },
          };
          if (kind === 'truncated-json') {
            const text = JSON.stringify(completion);
            return resolve(json(200, text.slice(0, Math.floor(text.length / 2)), quota));
          }
          return resolve(json(200, completion, quota));
        }
        const events = [...words.map((w) => chunkOf(w)), chunkOf('', 'stop'), '[DONE]'].map((e) => encoder.encode(`data: ${e}\n\n`));
        let end: 'done' | 'error' | 'close' | 'stall' = 'done';
        let chunks = events;
        if (kind === 'cut-error' || kind === 'cut-close' || kind === 'stall') {
          const at = Math.floor(random() * (events.length - 1));
          chunks = events.slice(0, at);
          end = kind === 'cut-error' ? 'error' : kind === 'cut-close' ? 'close' : 'stall';
        }
        const gap = Math.floor(random() * 30);
        const it = makeStreamBody(chunks, end, gap, signal);
        resolve({
          status: 200, headers: { 'content-type': 'text/event-stream', ...quota }, headersLowerCase: true,
          body: { [Symbol.asyncIterator]: () => it.iterator }, cancel: it.cancel,
        });
      }, latency);
    });
  };

  const endpoints = names.map((name, i) => ({
    name, baseUrl: `https://${name}.example/v1`, apiKey: `sk-${name}-secret`, priority: i === names.length - 1 && i > 0 ? 1 : 0,
  }));
  let currentTrace: TraceRecord | undefined;
  const tracer: Tracer = {
    startRequest: () => {
      const record = currentTrace;
      currentTrace = undefined;
      if (!record) v('trace', 'startRequest without a current request');
      return {
        isRecording: () => true,
        setAttributes: (a) => {
          if (!record) return;
          if ('detour.outcome' in a) record.ends += 1;
          Object.assign(record.attrs, a);
        },
        addEvent: () => undefined,
        setError: () => undefined,
        end: () => void (record && (record.spanEnds += 1)),
      } satisfies TraceSpan;
    },
    startAttempt: (_name, _attributes, parent) => {
      const record = traceOf.get(parent);
      let ended = false;
      let costSets = 0;
      if (record) record.attemptsStarted += 1;
      return {
        isRecording: () => true,
        setAttributes: (a) => {
          if (record && typeof a['detour.cost.usd'] === 'number') {
            record.costs.push(a['detour.cost.usd']);
            costSets += 1;
            if (costSets > 1) v('cost-once', `an attempt span got ${costSets} cost records`);
          }
        },
        addEvent: () => undefined,
        setError: () => undefined,
        end: () => {
          if (!record) return;
          if (ended) record.attemptDoubleEnd += 1;
          else record.attemptsEnded += 1;
          ended = true;
        },
      };
    },
  };
  const traceOf = new WeakMap<TraceSpan, TraceRecord>();
  const baseStartRequest = tracer.startRequest;
  (tracer as { startRequest: Tracer['startRequest'] }).startRequest = (name, attributes) => {
    const record = currentTrace;
    const span = baseStartRequest(name, attributes);
    if (record) traceOf.set(span, record);
    return span;
  };
  const router: Router = createRouter(
    { endpoints, ...scenario.options } as RouterOptionsInput,
    { transport, clock, random: routerRandom, store, tracer: scenario.traced ? tracer : false },
  );
  const events: RouterEvent[] = [];
  router.subscribe((e) => events.push(e));
  let unhandled = 0;
  const onUnhandled = () => void (unhandled += 1);
  process.on('unhandledRejection', onUnhandled);

  const reqs: Req[] = [];
  const sleepOnClock = (ms: number) => new Promise<void>((resolve) => clock.schedule(resolve, ms));

  const startRequest = (index: number) => {
    const spec = scenario.requests[index]!;
    const controller = new AbortController();
    const listeners = new Set<unknown>();
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, listener: unknown, opts?: unknown) => {
      listeners.add(listener);
      add(type, listener as EventListener, opts as AddEventListenerOptions);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: unknown, opts?: unknown) => {
      listeners.delete(listener);
      remove(type, listener as EventListener, opts as EventListenerOptions);
    }) as typeof signal.removeEventListener;
    const rid = `r${index}`;
    const model = spec.stream ? 'gpt-4.1' : 'gpt-4.1-mini';
    const req: Req = {
      rid, stream: spec.stream, model, startedAt: clock.now(), deadlineAt: clock.now() + ((scenario.options.deadlineMs as number) ?? 600_000),
      abortedAt: undefined, controller, listeners, sentAfterShutDown: shutDown, done: false, outcome: 'pending',
      resultAttempts: undefined, errorCode: undefined, streamClean: undefined, text: '', resultCost: undefined,
      trace: scenario.traced ? { ends: 0, spanEnds: 0, attrs: {}, attemptsStarted: 0, attemptsEnded: 0, attemptDoubleEnd: 0, costs: [] } : undefined,
    };
    reqs.push(req);
    let abortTimer: unknown;
    if (spec.abortAfter !== undefined) {
      abortTimer = clock.schedule(() => {
        if (!req.done) {
          req.abortedAt = clock.now();
          controller.abort(new Error('caller aborted'));
        }
      }, spec.abortAfter);
    }
    const run = async () => {
      let result;
      try {
        currentTrace = req.trace;
        const sent = router.send({
          path: '/chat/completions', headers: { 'content-type': 'application/json', 'x-req': rid }, signal,
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'count' }], stream: spec.stream || undefined }),
        });
        currentTrace = undefined;
        result = await sent.finally(() => void (req.settledAt = clock.now()));
      } catch (error) {
        req.outcome = 'rejected';
        req.errorCode = (error as { code?: string }).code ?? String(error);
        req.resultAttempts = (error as { attempts?: unknown[] }).attempts?.length;
        return;
      }
      req.resultAttempts = result.attempts.length;
      req.resultCost = result.costUsd;
      if (result.stream) {
        if (!spec.stream) v('shape', `${rid}: JSON request got a stream`);
        let raw = '';
        let chunks = 0;
        try {
          for (;;) {
            const next = await result.stream.next();
            if (next.done) break;
            raw += decoder.decode(next.value, { stream: true });
            chunks += 1;
            if (spec.cancelAfter !== undefined && chunks >= spec.cancelAfter) {
              result.cancel(new Error('caller cancelled'));
              await result.stream.return?.();
              req.outcome = 'cancelled';
              return;
            }
            if (spec.readPause > 0) await sleepOnClock(spec.readPause);
          }
          req.streamClean = true;
          req.outcome = 'stream-clean';
        } catch (error) {
          req.streamClean = false;
          req.outcome = 'stream-error';
          req.errorCode = (error as { code?: string }).code ?? String(error);
        }
        // What the caller read: the deltas' text.
        let text = '';
        let done = false;
        let finish = false;
        for (const line of raw.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') {
            done = true;
            continue;
          }
          try {
            const parsed = JSON.parse(data) as { choices?: { delta?: { content?: string }; finish_reason?: string | null }[] };
            const choice = parsed.choices?.[0];
            if (choice?.delta?.content) text += choice.delta.content;
            if (choice?.finish_reason) finish = true;
          } catch {
            // an error event
          }
        }
        req.text = text;
        if (req.streamClean) {
          if (text !== fullText) v('stream-text', `${rid}: clean end with text ${JSON.stringify(text)} != ${JSON.stringify(fullText)}`);
          if (!done || !finish) v('stream-clean-end', `${rid}: clean end without [DONE]/finish (done=${done}, finish=${finish})`);
        } else if (!fullText.startsWith(text)) {
          v('stream-prefix', `${rid}: cut stream text ${JSON.stringify(text)} not a prefix of the answer`);
        }
      } else {
        if (spec.stream) v('shape', `${rid}: stream request got a body`);
        try {
          const parsed = JSON.parse(decoder.decode(result.body)) as { choices: { message: { content: string } }[] };
          if (parsed.choices[0]!.message.content !== fullText) v('json-body', `${rid}: content differs`);
        } catch (error) {
          v('json-body', `${rid}: served body does not parse: ${String(error)}`);
        }
        req.outcome = 'json-ok';
      }
    };
    run().then(
      () => {
        req.done = true;
        if (abortTimer !== undefined) clock.cancel(abortTimer);
      },
      (error) => {
        req.done = true;
        if (abortTimer !== undefined) clock.cancel(abortTimer);
        v('harness', `${rid}: ${String(error)}`);
      },
    );
  };

  scenario.requests.forEach((spec, index) => clock.schedule(() => startRequest(index), spec.at));
  let shutDownIndex = -1;
  let shutDownTimer: unknown;
  if (scenario.shutDownAt !== undefined) {
    shutDownTimer = clock.schedule(() => {
      shutDownTimer = undefined;
      shutDown = true;
      shutDownIndex = events.length;
      router.shutDown();
    }, scenario.shutDownAt);
  }

  let stuck = false;
  let idleResolved = false;
  for (let step = 0; ; step++) {
    if (process.env.ENGINE_LAWS_STEPS) process.stderr.write(`step ${step} t=+${clock.now() - t0} timers=${clock.pending()} events=${events.length}\n`);
    await flush();
    const allStarted = reqs.length === scenario.requests.length;
    const allDone = allStarted && reqs.every((r) => r.done);
    if (allDone) break;
    if (step > 20_000 || !clock.fireNext()) {
      stuck = true;
      v('settles', `stuck at step ${step}: pending ${reqs.filter((r) => !r.done).map((r) => r.rid).join(',')} timers=${clock.pending()}`);
      break;
    }
  }
  if (shutDownTimer !== undefined) clock.cancel(shutDownTimer);
  // Drain the store's round trips still in flight (background writes, a settle waiting for the store): only while the
  // earliest timer is one of the store's, so no deadline or watchdog is fired early.
  for (let i = 0; i < 1000; i++) {
    await flush();
    const earliest = clock.earliestStack();
    if (earliest === undefined || !/at delayed/.test(earliest)) break;
    clock.fireNext();
  }
  await flush();
  void router.idle().then(() => void (idleResolved = true));
  await flush();
  // Review: with a slow store the router may still be finishing (a store call's grace) after every caller is done.
  if (scenario.slowStoreMs !== undefined) {
    for (let i = 0; i < 2000 && !idleResolved; i++) {
      if (!clock.fireNext()) break;
      await flush();
    }
  }
  process.off('unhandledRejection', onUnhandled);

  // ---- per-request laws, from each request's trace ----
  if (!stuck) {
    for (const r of reqs) {
      const t = r.trace;
      if (!t || r.sentAfterShutDown) continue;
      if (t.ends !== 1) v('request-end-once', `${r.rid}: ${t.ends} request-ends (${r.outcome}/${r.errorCode})`);
      if (t.spanEnds !== 1) v('trace', `${r.rid}: request span ended ${t.spanEnds} times`);
      if (t.attemptsStarted !== t.attemptsEnded || t.attemptDoubleEnd) v('trace', `${r.rid}: attempt spans ${t.attemptsStarted} started, ${t.attemptsEnded} ended, ${t.attemptDoubleEnd} ended twice`);
      const code = t.attrs['detour.outcome'];
      const success = r.outcome === 'json-ok' || r.outcome === 'stream-clean';
      if (success && code !== 'success') v('request-end-code', `${r.rid}: caller got a whole answer, request-end says ${String(code)}`);
      if ((r.outcome === 'rejected' || r.outcome === 'stream-error') && code === 'success') v('request-end-code', `${r.rid}: caller failed (${r.errorCode}), request-end says success`);
      if (r.outcome === 'rejected' && r.errorCode !== undefined && code !== r.errorCode) v('request-end-code', `${r.rid}: caller's error ${r.errorCode}, request-end code ${String(code)}`);
      if (r.outcome === 'json-ok' && r.resultAttempts !== t.attrs['detour.attempts']) v('request-end-attempts', `${r.rid}: result has ${r.resultAttempts} attempts, request-end ${String(t.attrs['detour.attempts'])}`);
      const sum = t.costs.reduce((a, b) => a + b, 0);
      if (r.outcome === 'json-ok' && r.resultCost !== undefined && Math.abs(sum - r.resultCost) > 1e-12) v('cost', `${r.rid}: result.costUsd ${r.resultCost}, cost-records ${sum} (${t.costs.join(',')})`);
      const traced = t.attrs['detour.cost.usd'];
      if (typeof traced === 'number' && Math.abs(traced - sum) > 1e-12) v('cost', `${r.rid}: request-end cost ${traced} vs attempts ${sum}`);
      const calls = callsOf(r.rid);
      const maxA = (scenario.options.maxAttempts as number) ?? 4;
      if (scenario.options.rescue === 'off' && calls > maxA) v('max-attempts', `${r.rid}: ${calls} upstream calls, maxAttempts ${maxA}`);
    }
  }
  // Review law: an attempt on an endpoint its request already tried is a retry, which the budget must have granted.
  {
    let sameEndpointRetries = 0;
    for (const r of reqs) {
      const seen = new Set<string>();
      for (const c of calls) {
        if (c.rid !== r.rid) continue;
        if (seen.has(c.endpoint)) sameEndpointRetries += 1;
        seen.add(c.endpoint);
      }
    }
    if (sameEndpointRetries > retriesGranted) v('retry-budget', `${sameEndpointRetries} same-endpoint retries, ${retriesGranted} retries granted`);
  }
  for (const r of reqs) {
    const slack = scenario.asyncStore ? 10 + (scenario.slowStoreMs !== undefined ? 1_000 : 0) : 0;
    if (r.settledAt !== undefined && r.settledAt > r.deadlineAt + slack) v('deadline-settle', `${r.rid} settled at +${r.settledAt - t0}, deadline +${r.deadlineAt - t0} (${r.outcome}/${r.errorCode})`);
  }
  // breaker transitions the store made, against those reported
  for (const name of names) {
    const made = transitions.filter((x) => x.endpoint === name).map((x) => x.change);
    const told = events.filter((e) => e.type === 'breaker-change' && e.endpoint === name).map((e) => e.type === 'breaker-change' ? `${e.from}->${e.to}` : '');
    if (made.join() !== told.join()) v('breaker-reported', `${name}: store made [${made.join(' ')}], events told [${told.join(' ')}]`);
  }
  // ---- laws ----
  if (unhandled > 0) v('unhandled', `${unhandled} unhandled rejections`);
  const routed = reqs.filter((r) => !r.sentAfterShutDown);
  for (const r of reqs) {
    if (r.sentAfterShutDown && r.errorCode !== 'router_closed') v('shutdown-refuse', `${r.rid} sent after shutDown got ${r.outcome}/${r.errorCode}`);
  }
  const ends = events.filter((e) => e.type === 'request-end');
  if (!stuck && ends.length !== routed.length) v('request-end-once', `${ends.length} request-end for ${routed.length} routed requests`);
  const maxAttempts = (scenario.options.maxAttempts as number) ?? 4;
  for (const r of reqs) {
    if (r.resultAttempts !== undefined && r.resultAttempts > maxAttempts) v('max-attempts', `${r.rid}: ${r.resultAttempts} attempts`);
  }
  // attempt-start / attempt-end pairing, per endpoint, in order.
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'attempt-start') open.set(e.endpoint, (open.get(e.endpoint) ?? 0) + 1);
    if (e.type === 'attempt-end') {
      const n = (open.get(e.endpoint) ?? 0) - 1;
      if (n < 0) v('attempt-pairs', `attempt-end before its start on ${e.endpoint}`);
      open.set(e.endpoint, n);
    }
  }
  if (!stuck) for (const [e, n] of open) if (n !== 0) v('attempt-pairs', `${n} attempt-start without attempt-end on ${e}`);
  // stream-end per committed stream segment.
  const commits = events.filter((e) => e.type === 'attempt-end' && e.kind === 'success' && e.model === 'gpt-4.1').length;
  const streamEnds = events.filter((e) => e.type === 'stream-end').length;
  if (!stuck && commits !== streamEnds) v('stream-end-once', `${commits} committed streams, ${streamEnds} stream-end`);
  // calls after shutdown / abort / deadline
  for (const c of calls) {
    if (c.signalAborted) v(scenario.asyncStore ? 'no-attempt-after-abort-async' : 'no-attempt-after-abort', `${c.rid} to ${c.endpoint} at +${c.at - t0}: transport called with an aborted signal (caller aborted: ${c.callerAborted})`);
    if (!scenario.asyncStore && c.cooling) v('cooling', `${c.rid} to ${c.endpoint} at +${c.at - t0} while it cools`);
    if (c.afterShutDown) v('no-attempt-after-shutdown', `${c.rid} to ${c.endpoint} at +${c.at - t0}`);
    const r = reqs.find((x) => x.rid === c.rid);
    if (r?.abortedAt !== undefined && c.at > r.abortedAt) v(scenario.asyncStore ? 'no-attempt-after-abort-async' : 'no-attempt-after-abort', `${c.rid} to ${c.endpoint} at +${c.at - t0}, aborted +${r.abortedAt - t0}`);
    if (r && c.at > r.deadlineAt) v(scenario.asyncStore ? 'no-attempt-after-abort-async' : 'no-attempt-after-deadline', `${c.rid} to ${c.endpoint} at +${c.at - t0}, deadline +${r.deadlineAt - t0}`);
    if (!scenario.asyncStore && c.breakerOpenNow) v('breaker-open', `${c.rid} sent to ${c.endpoint} with its breaker open at +${c.at - t0}`);
  }
  const shutDownAttempts = events.slice(Math.max(0, shutDownIndex)).filter((e) => shutDownIndex >= 0 && e.type === 'attempt-start');
  if (shutDownAttempts.length) v('no-attempt-after-shutdown', `${shutDownAttempts.length} attempt-start after shutDown`);
  for (const e of events) {
    if (e.type === 'attempt-end' && /caller stopped reading/.test(e.reason) && e.kind !== 'aborted') v('caller-leave-neutral', `${e.endpoint}: attempt ended by the caller leaving counted as ${e.kind}`);
  }
  // transitions per endpoint chain
  const last = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'breaker-change') continue;
    const prev = last.get(e.endpoint) ?? 'closed';
    if (e.from === e.to) v('breaker-change', `${e.endpoint}: ${e.from} -> ${e.to}`);
    if (prev !== e.from) v('breaker-chain', `${e.endpoint}: previous report ended at ${prev}, next starts ${e.from} -> ${e.to}`);
    last.set(e.endpoint, e.to);
  }
  // request-end consistent with what callers saw
  const okEnds = ends.filter((e) => e.ok).length;
  const okCallers = reqs.filter((r) => r.outcome === 'json-ok' || r.outcome === 'stream-clean').length;
  if (!stuck && okEnds < okCallers) v('request-end-ok', `${okEnds} ok request-ends but ${okCallers} callers got a whole answer`);
  const okCallersMax = reqs.filter((r) => r.outcome === 'json-ok' || r.outcome === 'stream-clean' || r.outcome === 'cancelled').length;
  if (!stuck && okEnds > okCallersMax) v('request-end-ok', `${okEnds} ok request-ends but only ${okCallersMax} callers could have been served`);
  // quiescence
  if (!stuck) {
    const known = clock.stacks().filter((st) => /at delayed/.test(st));
    if (clock.pending() - known.length > 0) v('timers', `${clock.pending()} timers pending after every request settled${debugTimers ? `\n${clock.stacks().join('\n')}` : ''}`);
    const adm = router.admission();
    if (adm && (adm.reserved !== 0 || adm.total !== 0)) v('admission', `reserved=${adm.reserved} queued=${adm.total}`);
    let health: Awaited<ReturnType<Router['health']>> | undefined;
    void router.health().then((h) => void (health = h));
    for (let i = 0; i < 100 && health === undefined; i++) {
      await flush();
      clock.fireNext();
    }
    if (!health) throw new Error('health did not answer');
    for (const h of health) if (h.pending !== 0) v('pending', `${h.name} pending=${h.pending}`);
    for (const name of names) {
      const b = memory.read(name).breaker;
      if (b.probes.length > 0) v('probes', `${name} holds ${b.probes.length} probe slot(s) (${b.position})`);
    }
    for (const r of reqs) if (!r.controller.signal.aborted && r.listeners.size > 0) v('listeners', `${r.rid} left ${r.listeners.size} listener(s) on the caller's signal`);
    if (!idleResolved) v('idle', 'router.idle() did not resolve');
    if (inflightBodies.size > 0) v('bodies', `${inflightBodies.size} upstream bodies never finished or cancelled`);
  }
  return { violations, events, requests: reqs, calls, stuck };
};
