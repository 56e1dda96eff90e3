import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pricesSchema } from '../pricing/prices-schema';
import { pricesRule, routerOptionsRule } from './option-rules';
import { routerOptionsSchema } from './router-options-schema';
import { validate, type Rule } from './rules';
import { toIssues } from './to-issues';

// option-rules.ts is routerOptionsSchema and pricesSchema compiled (test/option-rules.test.ts keeps it so); here,
// in Node and in workerd, the interpreter and zod must agree on every input: success, output and issues.

describe('option rules', () => {
  // Anything, with a bias towards what option fields hold and the ways they go wrong.
  const anything = fc.oneof(
    fc.constantFrom(undefined, null, true, false, 0, -1, 1, 1.5, 2, 20, 21, 1000, 1001, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -(2 ** 53)),
    fc.constantFrom('', 'a', 'b', 'a b', 'x.y:z', 'weighted', 'latency', 'full', 'none', 'openai', 'anthropic', 'deepseek', 'chat', 'messages', 'responses'),
    fc.constantFrom('https://a.example/v1', ' https://b.example ', 'http:example.com', 'ftp://x.example', 'not a url', 'https://exa\nmple.com'),
    fc.integer({ min: -3, max: 70_000 }),
    fc.double(),
    fc.string({ maxLength: 3 }),
    fc.array(fc.constantFrom('chat', 'messages', 'a', '', 1), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', '', 'rpm', 'tpm', 'x'), fc.constantFrom('a', '', 1, -1, 60, null), { maxKeys: 3 }),
  );
  const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(fc.oneof(value, anything), { nil: undefined });
  const withExtras = <T extends object>(value: fc.Arbitrary<T>) =>
    fc.tuple(value, fc.option(fc.dictionary(fc.constantFrom('extra', 'other', '__proto__'), anything, { maxKeys: 2 }), { nil: undefined }))
      .map(([object, extras]) => ({ ...object, ...extras }));
  const endpoint = withExtras(
    fc.record({
      name: maybe(fc.constantFrom('a', 'b', 'c')),
      baseUrl: maybe(fc.constantFrom('https://a.example/v1', 'http://127.0.0.1:8080')),
      apiKey: maybe(fc.constantFrom('sk-1', '')),
      priority: maybe(fc.constantFrom(0, 1, 2)),
      weight: maybe(fc.constantFrom(0.5, 1, 3)),
      models: maybe(fc.oneof(fc.constant(['m', 'n']), fc.constant({ m: 'up-m', o: '' }), fc.constant(['']))),
      provider: maybe(fc.constantFrom('openai', 'anthropic', 'groq')),
      apis: maybe(fc.constantFrom(['chat'], ['chat', 'chat'], [], ['messages', 'nope'])),
      continuation: maybe(fc.constantFrom('deepseek', 'none', 'other')),
      limits: maybe(fc.record({ rpm: maybe(fc.constantFrom(1, 60)), tpm: maybe(fc.constantFrom(1000)) }, { requiredKeys: [] })),
      headers: maybe(fc.constant({ 'x-a': 'b' })),
    }, { requiredKeys: [] }),
  );
  const options = withExtras(
    fc.record({
      endpoints: fc.oneof(fc.array(endpoint, { maxLength: 3 }), anything),
      selection: maybe(fc.constantFrom('weighted', 'latency')),
      maxAttempts: maybe(fc.constantFrom(1, 4, 20)),
      deadlineMs: maybe(fc.constantFrom(1, 1000)),
      attemptTimeoutMs: maybe(fc.constantFrom(1, 1000)),
      preferWaitMs: maybe(fc.constantFrom(0, 10)),
      rescue: maybe(fc.constantFrom('off', 'continue')),
      rescueHeartbeatMs: maybe(fc.constantFrom(0, 15_000, -1, 2 ** 31)),
      fallbacks: maybe(fc.dictionary(fc.constantFrom('m', 'n', 'o', ''), fc.record({ contextLength: maybe(fc.constantFrom('m', 'n', 'o')), contentPolicy: maybe(fc.constantFrom('m', 'n')) }, { requiredKeys: [] }), { maxKeys: 3 })),
      backoff: maybe(withExtras(fc.record({ jitter: maybe(fc.constantFrom('full', 'none')), baseMs: maybe(fc.constantFrom(1, 100)), multiplier: maybe(fc.constantFrom(1, 2.5)) }, { requiredKeys: [] }))),
      breaker: maybe(fc.record({ failureRate: maybe(fc.constantFrom(0.1, 1)), windowBuckets: maybe(fc.constantFrom(1, 10)) }, { requiredKeys: [] })),
      admission: maybe(fc.record({ enabled: maybe(fc.boolean()), maxQueueLength: maybe(fc.constantFrom(1, 100_000)), defaultPriority: maybe(fc.constantFrom('high', 'low')) }, { requiredKeys: [] })),
      prices: maybe(fc.constant([{ model: 'x' }])),
      streamUsage: maybe(fc.constantFrom('inject', 'passthrough')),
    }, { requiredKeys: [] }),
  );
  const price = withExtras(
    fc.record({
      model: maybe(fc.constantFrom('gpt-x', '')),
      inputPerMTok: maybe(fc.constantFrom(0, 1.5)),
      outputPerMTok: maybe(fc.constantFrom(0, 3)),
      cachedInputPerMTok: maybe(fc.constantFrom(0.5)),
      source: maybe(fc.constantFrom('s')),
      date: maybe(fc.constantFrom('2026-01-01', '2026-1-1')),
    }, { requiredKeys: [] }),
  );

  const agree = (rule: Rule, schema: { safeParse(input: unknown): { success: boolean; data?: unknown; error?: { issues: readonly unknown[] } } }, input: unknown) => {
    const expected = schema.safeParse(input);
    const actual = validate(rule, input);
    expect(actual.success).toBe(expected.success);
    if (actual.success) expect(actual.data).toStrictEqual(expected.data);
    else expect(toIssues(actual.error)).toEqual(toIssues(expected.error as never));
  };

  it('accept, default and reject router options exactly as the zod schema does, with the same issues', () => {
    fc.assert(fc.property(options, (input) => agree(routerOptionsRule, routerOptionsSchema, input)), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 1000), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);

  it('accept, default and reject price rows exactly as the zod schema does, with the same issues', () => {
    fc.assert(fc.property(fc.oneof(fc.array(price, { maxLength: 3 }), anything), (input) => agree(pricesRule, pricesSchema, input)), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 500), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);

  it('agree on hostile shapes: no prototype, inherited keys, class instances, symbol keys, holes', () => {
    const endpoint = { name: 'a', baseUrl: 'https://a.example/v1' };
    class Options {
      endpoints = [endpoint];
    }
    const inherited = Object.create({ selection: 'latency', extra: 1 });
    inherited.endpoints = [endpoint];
    const bare = Object.assign(Object.create(null), { endpoints: [Object.assign(Object.create(null), endpoint)] });
    const hostile: unknown[] = [
      bare,
      new Options(),
      inherited,
      { endpoints: [{ ...endpoint, headers: { [Symbol('s')]: 'x', a: 'b' } }] },
      { endpoints: [{ ...endpoint, headers: new Map([['a', 'b']]) }] },
      { endpoints: [{ ...endpoint, models: Object.create({ m: 'x' }) }] },
      { endpoints: [{ ...endpoint, query: Object.assign(Object.create(null), { v: '1' }) }] },
      { endpoints: [endpoint, , endpoint] },
      { endpoints: [endpoint], fallbacks: Object.assign(Object.create(null), { m: { contextLength: 'n' } }) },
      JSON.parse('{"endpoints":[{"name":"a","baseUrl":"https://a.example","__proto__":{"x":1}}],"__proto__":{"y":2}}'),
      { endpoints: [{ ...endpoint, baseUrl: 'https://a.example/v1\t' }] },
      { endpoints: [{ ...endpoint, baseUrl: new URL('https://a.example') }] },
      { endpoints: [endpoint], deadlineMs: new Date() },
      [],
      'options',
    ];
    for (const input of hostile) {
      agree(routerOptionsRule, routerOptionsSchema, input);
      agree(pricesRule, pricesSchema, input);
    }
  });

  it('agree on anything at all, whatever its shape', () => {
    fc.assert(fc.property(anything, (input) => {
      agree(routerOptionsRule, routerOptionsSchema, input);
      agree(pricesRule, pricesSchema, input);
    }), { numRuns: Number(process.env.OPTION_RULES_RUNS ?? 500), seed: process.env.OPTION_RULES_RUNS ? Date.now() : 18 });
  }, 60_000);
});
