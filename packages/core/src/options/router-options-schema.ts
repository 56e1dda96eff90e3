import { z } from 'zod';
import { endpointSchema } from './endpoint-schema';

const ms = z.number().int().nonnegative().finite();
const positiveMs = z.number().int().positive().finite();

export const backoffSchema = z
  .object({
    jitter: z.enum(['full', 'equal', 'decorrelated', 'none']).default('full'),
    baseMs: positiveMs.default(250),
    multiplier: z.number().min(1).finite().default(2),
    capMs: positiveMs.default(8000),
  })
  .strict();

export const breakerSchema = z
  .object({
    consecutiveFailures: z.number().int().positive().default(5),
    failureRate: z.number().gt(0).max(1).default(0.5),
    minimumVolume: z.number().int().positive().default(10),
    windowMs: positiveMs.default(30_000),
    windowBuckets: z.number().int().positive().max(1000).default(10),
    openMs: positiveMs.default(5000),
    openMultiplier: z.number().min(1).finite().default(2),
    maxOpenMs: positiveMs.default(60_000),
    halfOpenProbes: z.number().int().positive().default(1),
    probeTimeoutMs: positiveMs.default(30_000),
  })
  .strict();

export const cooldownSchema = z
  .object({
    rateLimitedMs: positiveMs.default(1000),
    overloadedMs: positiveMs.default(2000),
    disableMs: positiveMs.default(3_600_000),
  })
  .strict();

export const retryBudgetSchema = z
  .object({
    ratio: z.number().nonnegative().finite().default(0.2),
    minPerSecond: z.number().nonnegative().finite().default(5),
    ttlMs: positiveMs.default(10_000),
  })
  .strict();

export const latencySchema = z
  .object({
    decayMs: positiveMs.default(10_000),
    defaultRttMs: ms.default(30),
    failurePenaltyMs: ms.default(5000),
  })
  .strict();

/** Everything `createRouter` accepts. Parsed once at construction; every default is filled in. */
export const routerOptionsSchema = z
  .object({
    endpoints: z.array(endpointSchema).min(1, 'configure at least one endpoint'),
    /** `weighted`: smooth weighted round robin within a tier. `latency`: Peak EWMA with power of two choices. */
    selection: z.enum(['weighted', 'latency']).default('weighted'),
    /** Upstream attempts per request, the first included. */
    maxAttempts: z.number().int().min(1).max(20).default(4),
    /** One deadline across all attempts and waits. */
    deadlineMs: positiveMs.default(600_000),
    /** Limit per attempt until the whole answer (JSON) or the first byte (streams) arrives. Unset: only the deadline. */
    attemptTimeoutMs: positiveMs.optional(),
    /** For streams: the wait for the first body byte, separate from the overall deadline. */
    firstByteTimeoutMs: positiveMs.default(60_000),
    /** The longest server-directed delay slept in-request; longer ones cool the endpoint and fail over. */
    maxServerDelayMs: ms.default(20_000),
    /** Request bodies are buffered once to replay them; larger ones are refused. */
    maxRequestBytes: positiveMs.default(32 * 1024 * 1024),
    /** JSON answers are buffered to price them and catch truncation; larger ones are refused. */
    maxResponseBytes: positiveMs.default(64 * 1024 * 1024),
    backoff: backoffSchema.prefault({}),
    breaker: breakerSchema.prefault({}),
    cooldown: cooldownSchema.prefault({}),
    retryBudget: retryBudgetSchema.prefault({}),
    latency: latencySchema.prefault({}),
    /** Extra or corrected price rows (USD per million tokens). */
    prices: z.array(z.unknown()).default([]),
  })
  .strict()
  .superRefine((options, context) => {
    const seen = new Set<string>();
    options.endpoints.forEach((endpoint, index) => {
      if (seen.has(endpoint.name)) {
        context.addIssue({ code: 'custom', path: ['endpoints', index, 'name'], message: `duplicate endpoint name "${endpoint.name}"` });
      }
      seen.add(endpoint.name);
    });
  });

/** Router options as users write them. */
export type RouterOptionsInput = z.input<typeof routerOptionsSchema>;
/** Router options after parsing: frozen and fully defaulted. */
export type RouterOptions = Readonly<z.output<typeof routerOptionsSchema>>;
