import { randomBytes } from 'node:crypto';
import { PromptCache } from './anthropic/prompt-cache';
import { Delays } from './delays';
import type { LatencySampler } from './latency';
import { createLatencySampler } from './latency';
import { RateLimiter } from './limiter/rate-limiter';
import { piecesOf } from './answers/answer-text';
import type { AnswerSettings } from './answers/choose-answer';
import { replyWords } from './openai/reply-words';
import { ResponseStore } from './openai/response-store';
import type { Random } from './random';
import { createSeededRandom } from './random';
import { StatsRecorder } from './stats';
import type { ChaosOptions, FaultRule } from './types';

/** Everything one upstream instance keeps between requests. */
export interface InstanceState {
  readonly name: string;
  /** How answers are chosen, with the `fixed` answer prepared once for the hot path. */
  readonly answers: AnswerSettings;
  /** Context window per model; longer prompts get the API's context-length 400. */
  readonly contextWindows: Readonly<Record<string, number>> | undefined;
  readonly now: () => number;
  readonly chunkDelayMs: number;
  /** Draws for `probability`; kept apart from latency draws so adding latency does not change which requests fail. */
  readonly ruleRandom: Random;
  readonly latency: LatencySampler | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly stats: StatsRecorder;
  readonly delays: Delays;
  /** Responses stored by `POST /v1/responses`, bounded. */
  readonly responses: ResponseStore;
  /** Prompt prefixes cached by Messages requests with `cache_control`, bounded, expiring on the instance clock. */
  readonly promptCache: PromptCache;
  /** Makes ids unique across instances and runs. */
  readonly idPrefix: string;
  script: readonly FaultRule[];
  /** Requests since the script was set: what `every`, `nth`, `from` and `to` count. */
  scriptSeq: number;
  scriptStartedAt: number;
  /** Requests since start, for ids. */
  idCounter: number;
  closing: boolean;
}

/** Builds an instance's state from validated options. */
export function createInstanceState(options: ChaosOptions): InstanceState {
  const now = options.now ?? ((): number => Date.now());
  const seed = options.seed ?? 1;
  const name = options.name ?? 'chaos';
  const count = options.completionTokens ?? 8;
  const fixedPieces = piecesOf(replyWords(name, count));
  return {
    name,
    answers: {
      mode: options.answers ?? 'fixed',
      name,
      count,
      seed,
      prefill: options.prefill ?? 'ignore',
      fixedPieces,
      fixedContentJson: JSON.stringify(fixedPieces.join('')),
    },
    contextWindows: options.contextWindows,
    now,
    chunkDelayMs: options.chunkDelayMs ?? 0,
    ruleRandom: createSeededRandom(seed),
    // A different stream from the same seed: latency draws never shift the probability draws.
    latency: options.latency ? createLatencySampler(options.latency, createSeededRandom(seed ^ 0x5bd1e995)) : undefined,
    limiter: options.limiter ? new RateLimiter(options.limiter, now) : undefined,
    stats: new StatsRecorder(options.recordLimit ?? 10_000),
    delays: new Delays(),
    responses: new ResponseStore(),
    promptCache: new PromptCache(now),
    idPrefix: randomBytes(6).toString('hex'),
    script: options.script ?? [],
    scriptSeq: 0,
    scriptStartedAt: now(),
    idCounter: 0,
    closing: false,
  };
}
