// The request mix: what each kind sends and how often it is drawn. Abandoned streams are a fifth of the streams.
import { pick } from '../seeded-random.mjs';

/** Kinds with their share of the load. */
export const kindWeights = [
  ['chat-json', 35],
  ['chat-stream', 26],
  ['slow-reader', 4],
  ['embeddings', 20],
  ['abandon-destroy', 5],
  ['abandon-stall', 5],
  ['abandon-early', 5],
];
const totalWeight = kindWeights.reduce((sum, [, weight]) => sum + weight, 0);

/** Draws a kind by weight. */
export const drawKind = (random) => {
  let draw = random() * totalWeight;
  for (const [kind, weight] of kindWeights) {
    draw -= weight;
    if (draw < 0) return kind;
  }
  return kindWeights[0][0];
};

/**
 * The request one kind sends, and what its answer must contain.
 * @param {string} kind
 * @param {() => number} random
 * @param {number} sequence
 */
export const buildRequest = (kind, random, sequence) => {
  if (kind === 'embeddings') {
    const inputs = 1 + Math.floor(random() * 3);
    const input = Array.from({ length: inputs }, (_, index) => `soak ${sequence} input ${index}`);
    return { path: '/v1/embeddings', body: { model: 'text-embedding-3-small', input }, stream: false, inputs, usageAsked: false };
  }
  const stream = kind !== 'chat-json';
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `soak request ${sequence}` }] };
  const usageAsked = stream && random() < 0.5;
  if (stream) body.stream = true;
  if (usageAsked) body.stream_options = { include_usage: true };
  return {
    path: '/v1/chat/completions',
    body,
    stream,
    inputs: 1,
    usageAsked,
    // Abandoned streams: how many events to read first, and how long a stalled reader holds the socket.
    abandonAfterEvents: 1 + Math.floor(random() * 4),
    stallMs: pick(random, [1000, 3000, 6000]),
    // Slow readers: a pause after each chunk they read, so long streams back up into the gateway. A backed-up
    // socket hands over about one event per read, so the longest reply (1,000 events) takes 1,000 pauses.
    readPauseMs: pick(random, [5, 20, 50]),
  };
};
