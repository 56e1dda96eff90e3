import { z } from 'zod';
import type { ChaosOptions, FaultRule } from '../types';

const count = z.number().int().positive();
const milliseconds = z.number().nonnegative();

/** Schema of a rule's `when`; unknown keys are rejected so a typo such as `evry` cannot silently match everything. */
const whenSchema = z.strictObject({
  every: count.optional(),
  offset: z.number().int().optional(),
  nth: z.array(count).optional(),
  from: count.optional(),
  to: count.optional(),
  afterMs: milliseconds.optional(),
  forMs: milliseconds.optional(),
  probability: z.number().min(0).max(1).optional(),
  path: z.string().optional(),
  model: z.string().optional(),
  stream: z.boolean().optional(),
});

const tokens = z.number().int().nonnegative();
/** Where a stream breaks: after N events or after N content tokens. */
const breakPoint = { afterChunks: z.number().int().nonnegative().optional(), afterTokens: tokens.optional() };
type BreakFields = { afterChunks?: number; afterTokens?: number };
const exactlyOneBreakPoint = (fault: BreakFields): boolean => (fault.afterChunks === undefined) !== (fault.afterTokens === undefined);
const atMostOneBreakPoint = (fault: BreakFields): boolean => fault.afterChunks === undefined || fault.afterTokens === undefined;
const exactlyOneMessage = { message: 'give exactly one of afterChunks and afterTokens', path: ['afterChunks'] };
const atMostOneMessage = { message: 'give at most one of afterChunks and afterTokens', path: ['afterTokens'] };

const faultSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('rate-limit'),
    dialect: z.enum(['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini']),
    retryAfterMs: milliseconds.optional(),
    perDay: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('insufficient-quota') }),
  z.strictObject({ type: z.literal('context-length') }),
  z.strictObject({ type: z.literal('unauthorized') }),
  z.strictObject({
    type: z.literal('status'),
    status: z.number().int().min(100).max(599),
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({ type: z.literal('slow-first-byte'), delayMs: milliseconds }),
  z.strictObject({ type: z.literal('slow-body'), chunkDelayMs: milliseconds }),
  z
    .strictObject({ type: z.literal('cut-stream'), ...breakPoint, mode: z.enum(['close', 'reset']).optional() })
    .refine(exactlyOneBreakPoint, exactlyOneMessage),
  z.strictObject({ type: z.literal('malformed-sse'), ...breakPoint }).refine(atMostOneBreakPoint, atMostOneMessage),
  z
    .strictObject({
      type: z.literal('stream-error-event'),
      ...breakPoint,
      variant: z.enum(['error', 'error-nested', 'response.failed']).optional(),
    })
    .refine(exactlyOneBreakPoint, exactlyOneMessage),
  z.strictObject({ type: z.literal('stall'), afterTokens: tokens, ms: milliseconds.optional(), keepAliveMs: z.number().positive().optional() }),
  z.strictObject({ type: z.literal('vary-answer'), afterTokens: tokens.optional() }),
  z.strictObject({ type: z.literal('reset') }),
  z.strictObject({ type: z.literal('hang') }),
]);

/** Schema of a whole script: a list of rules, first match wins. */
export const scriptSchema: z.ZodType<FaultRule[]> = z.array(z.strictObject({ when: whenSchema.optional(), fault: faultSchema }));

/** Schema of the option fields a script file may carry instead of a bare rule list (everything but the clock). */
export const optionsFileSchema: z.ZodType<Omit<ChaosOptions, 'now'>> = z.strictObject({
  name: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  script: scriptSchema.optional(),
  seed: z.number().int().optional(),
  latency: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('fixed'), ms: milliseconds }),
      z.strictObject({ type: z.literal('normal'), meanMs: milliseconds, stdDevMs: milliseconds }),
      z.strictObject({ type: z.literal('long-tail'), p50Ms: milliseconds, p99Ms: milliseconds }),
    ])
    .optional(),
  limiter: z
    .strictObject({
      requestsPerMinute: z.number().positive().optional(),
      tokensPerMinute: z.number().positive().optional(),
      initialFill: z.number().min(0).max(1).optional(),
      headers: z.enum(['openai', 'ietf']).optional(),
    })
    .optional(),
  chunkDelayMs: milliseconds.optional(),
  completionTokens: count.optional(),
  answers: z.enum(['fixed', 'deterministic', 'varying']).optional(),
  prefill: z.enum(['ignore', 'deepseek', 'mistral', 'vllm', 'openrouter', 'anthropic', 'reject']).optional(),
  contextWindows: z.record(z.string(), count).optional(),
  recordLimit: count.optional(),
});
