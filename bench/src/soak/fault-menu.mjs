// The faults the soak switches on and off: every way @detour/testkit can fail a request, with parameters drawn from
// the seeded generator. Each is something a real provider does; the gateway must turn each into a served answer
// (after failover) or a visible error, never a silent one.
import { pick } from './seeded-random.mjs';

const dialects = ['openai', 'anthropic', 'azure', 'groq', 'ietf', 'openrouter', 'gemini'];
const between = (random, low, high) => low + Math.floor(random() * (high - low + 1));

/** One builder per fault type, so every type is equally likely whatever its parameters. */
const builders = [
  (random) => ({ type: 'rate-limit', dialect: pick(random, dialects), retryAfterMs: between(random, 200, 4000) }),
  (random) => ({ type: 'status', status: pick(random, [500, 502, 503, 504, 529]) }),
  () => ({ type: 'context-length' }),
  (random) => ({ type: 'slow-first-byte', delayMs: between(random, 100, 8000) }),
  (random) => ({ type: 'slow-body', chunkDelayMs: between(random, 1, 15) }),
  (random) => ({ type: 'cut-stream', afterChunks: between(random, 0, 12), mode: pick(random, ['close', 'reset']) }),
  (random) => ({ type: 'malformed-sse', afterChunks: between(random, 1, 5) }),
  () => ({ type: 'reset' }),
  () => ({ type: 'hang' }),
];

/**
 * A fault script for one upstream: one or two rules, each hitting a drawn share of requests, sometimes only one
 * route or only streams.
 * @param {() => number} random
 * @returns {import('@detour/testkit').FaultRule[]}
 */
export const drawFaultScript = (random) => {
  const rules = [];
  const count = random() < 0.7 ? 1 : 2;
  for (let index = 0; index < count; index += 1) {
    const when = { probability: Math.round((0.1 + random() * 0.9) * 100) / 100 };
    const scope = random();
    if (scope < 0.2) when.stream = true;
    else if (scope < 0.3) when.path = '/v1/embeddings';
    rules.push({ when, fault: pick(random, builders)(random) });
  }
  return rules;
};

/** A short label for the run log: `503 p=0.42`, `hang p=1 stream`. */
export const describeScript = (rules) =>
  rules.length === 0
    ? 'healthy'
    : rules
        .map(({ when, fault }) => {
          const name = fault.type === 'status' ? String(fault.status) : fault.type === 'cut-stream' ? `cut-stream/${fault.mode}@${fault.afterChunks}` : fault.type;
          const scope = when.stream ? ' streams' : when.path ? ` ${when.path}` : '';
          return `${name} p=${when.probability}${scope}`;
        })
        .join(' + ');
