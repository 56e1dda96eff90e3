import { demoModel } from './start-fleet.js';

// A system prompt of realistic length, so input tokens (and their price) are not negligible next to output.
const systemPrompt = [
  'You are the support assistant of a small online bookshop. Answer in two or three friendly sentences.',
  'Never invent order numbers, prices or delivery dates; when you do not know, say so and offer to hand over to a human.',
  'Prefer plain words to jargon, keep a warm tone, and end with one short question that moves the conversation on.',
  'The shop ships within the EU only, accepts returns for 30 days, and gift-wraps for free in December.',
].join(' ');

const questions = [
  'Where is my order?',
  'Can I return a book I already started reading?',
  'Do you ship to Norway?',
  'Is gift wrapping free?',
  'Can I change the delivery address after ordering?',
];

/**
 * @typedef {object} ChatSample  One request as the caller saw it.
 * @property {number} index
 * @property {'json' | 'stream'} kind
 * @property {string} via  `gateway`, `fetch` (createFetch in-process) or `naive`.
 * @property {number} startedAt  Date.now() when it was sent.
 * @property {number} latencyMs  Until the whole answer was read (the last chunk, for streams).
 * @property {boolean} ok  A complete answer arrived.
 * @property {string | undefined} endpoint  Who served it (Detour's `x-detour-endpoint`).
 * @property {{ prompt_tokens?: number, completion_tokens?: number } | undefined} usage
 * @property {string | undefined} error  Short description of a failure.
 */

/** A short, stable description of what went wrong, for the summary's error breakdown. */
const describeError = (error) => {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') return `HTTP ${error.status}`;
  if (error?.name === 'APIUserAbortError') return 'abandoned at the end of the run';
  if (error?.name === 'APIConnectionTimeoutError') return 'timeout';
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 60 ? `${message.slice(0, 57)}…` : message;
};

/**
 * Sends one chat completion through an official `openai` client and reads it to the end.
 *
 * @param {import('openai').OpenAI} client
 * @param {{ index: number, kind: 'json' | 'stream', via: string, signal: AbortSignal }} request
 * @returns {Promise<ChatSample>}
 */
export const sendChat = async (client, { index, kind, via, signal }) => {
  const startedAt = Date.now();
  const started = performance.now();
  const body = {
    model: demoModel,
    messages: [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: questions[index % questions.length] },
    ],
  };
  const sample = { index, kind, via, startedAt, latencyMs: 0, ok: false, endpoint: undefined, usage: undefined, error: undefined };
  try {
    if (kind === 'json') {
      const { data, response } = await client.chat.completions.create(body, { signal }).withResponse();
      sample.endpoint = response.headers.get('x-detour-endpoint') ?? undefined;
      sample.usage = data.usage;
      sample.ok = typeof data.choices[0]?.message?.content === 'string';
    } else {
      const { data, response } = await client.chat.completions
        .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal })
        .withResponse();
      sample.endpoint = response.headers.get('x-detour-endpoint') ?? undefined;
      let words = 0;
      for await (const chunk of data) {
        if (chunk.usage) sample.usage = chunk.usage;
        if (chunk.choices[0]?.delta?.content) words += 1;
      }
      // The SDK's iterator throws on a cut stream; reaching here means `[DONE]` arrived.
      sample.ok = words > 0;
    }
    if (!sample.ok) sample.error = 'empty answer';
  } catch (error) {
    sample.error = describeError(error);
  }
  sample.latencyMs = performance.now() - started;
  return sample;
};
