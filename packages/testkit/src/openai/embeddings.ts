import { createSeededRandom } from '../random';
import type { PreparedReply, ReplyContext } from './prepared-reply';

/** FNV-1a: a stable seed per input, so the same text always embeds to the same vector. */
function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

/** A unit-length vector derived from the text. */
function embed(text: string, dimensions: number): number[] {
  const random = createSeededRandom(hashText(text));
  const raw = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.round((value / norm) * 1e6) / 1e6);
}

function inputsOf(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [''];
  // An array of numbers is one pre-tokenised input; an array of strings or of arrays is several inputs.
  if (input.every((item) => typeof item === 'number')) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

/**
 * Answers `POST /v1/embeddings` with small deterministic vectors (8 dimensions unless `dimensions` says otherwise).
 * Honours `encoding_format: "base64"`, which openai-node requests by default and decodes as little-endian float32.
 */
export function prepareEmbeddings(context: ReplyContext): PreparedReply {
  const requested = context.body.dimensions;
  const dimensions = typeof requested === 'number' && requested > 0 ? Math.min(Math.floor(requested), 4096) : 8;
  const asBase64 = context.body.encoding_format === 'base64';
  const data = inputsOf(context.body.input).map((text, index) => {
    const vector = embed(text, dimensions);
    const embedding = asBase64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  const usage = { prompt_tokens: context.promptTokens, total_tokens: context.promptTokens };
  const body = JSON.stringify({ object: 'list', data, model: context.model, usage });
  return { kind: 'json', body, tokens: context.promptTokens };
}
