// What a correct answer holds. @detour/testkit replies are deterministic: "Hello from <name>." and then filler,
// `completionTokens` words long, one word per stream chunk (packages/testkit/src/openai/reply-words.ts). The
// gateway names the endpoint that served in `x-detour-endpoint`, so the client knows which text to expect.

const FILLER = ['This', 'is', 'a', 'scripted', 'reply', 'from', 'the', 'Detour', 'chaos', 'upstream.'];

/** The reply text of upstream `name` configured with `count` words. */
export const expectedText = (name, count) => {
  const words = ['Hello', 'from', `${name}.`];
  for (let index = 0; words.length < count; index += 1) words.push(FILLER[index % FILLER.length]);
  return words.join(' ');
};

/**
 * Checks a 2xx JSON answer; returns undefined when it is whole and right, else why not.
 * @param {string} kind 'chat-json' or 'embeddings'
 * @param {string} body
 * @param {{ text: string | undefined, inputs: number }} expected
 */
export const jsonProblem = (kind, body, expected) => {
  let answer;
  try {
    answer = JSON.parse(body);
  } catch {
    return `2xx body is not JSON (${body.length} bytes: ${JSON.stringify(body.slice(0, 80))})`;
  }
  if (kind === 'embeddings') {
    if (answer?.object !== 'list' || !Array.isArray(answer.data)) return 'embeddings answer without a data list';
    if (answer.data.length !== expected.inputs) return `embeddings answer with ${answer.data.length} vectors for ${expected.inputs} inputs`;
    const bad = answer.data.find((item) => !Array.isArray(item?.embedding) || item.embedding.length !== 8 || !item.embedding.every(Number.isFinite));
    return bad ? 'an embedding is not 8 finite numbers' : undefined;
  }
  const choice = Array.isArray(answer?.choices) ? answer.choices[0] : undefined;
  if (answer?.object !== 'chat.completion' || !choice) return 'chat answer without choices';
  if (expected.text === undefined) return 'chat answer from an endpoint the soak does not know (x-detour-endpoint)';
  if (choice.message?.content !== expected.text) return `chat content differs from the upstream's reply (${JSON.stringify(String(choice.message?.content).slice(0, 60))})`;
  if (choice.finish_reason !== 'stop') return `finish_reason ${choice.finish_reason}`;
  return undefined;
};

/**
 * Checks a 2xx stream that ended cleanly; returns [outcome, detail]: 'ok', 'truncated' (no `[DONE]` and not whole),
 * 'error' (an event no client can parse) or 'malformed' (a `[DONE]`-terminated stream whose content is wrong).
 * A stream rescued mid-answer (docs/rescue.md) may end as another upstream's reply: `x-detour-endpoint` names the
 * endpoint that started it, and a replay on another endpoint carries on where the delivered text stops, when that
 * endpoint's reply starts with it. Such a stream is right when its text is exactly one upstream's whole reply (no
 * splice of two); its detail then starts with `rescued`.
 * @param {ReturnType<import('./sse-reader.mjs').createSseReader>} reader
 * @param {{ text: string | undefined, others: Record<string, string>, usageAsked: boolean }} expected
 */
export const streamVerdict = (reader, expected) => {
  const rescuedOnto = expected.text !== undefined && reader.text !== expected.text
    ? Object.keys(expected.others).find((name) => expected.others[name] === reader.text)
    : undefined;
  const [outcome, detail] = judgeStream(reader, rescuedOnto === undefined ? expected : { ...expected, text: reader.text });
  return outcome === 'ok' && rescuedOnto !== undefined ? ['ok', `rescued: the whole reply of ${rescuedOnto}`] : [outcome, detail];
};

const judgeStream = (reader, expected) => {
  const seen = `${reader.events} events, ${reader.text.split(' ').filter(Boolean).length} words, finish_reason ${reader.finishReason ?? 'none'}`;
  if (!reader.done) {
    // Several providers never send `[DONE]`: a clean close after the whole text and a finish_reason is a complete
    // answer (core relays it as one). Anything less, closed cleanly, is a silent truncation.
    const whole = expected.text !== undefined && reader.text === expected.text && reader.finishReason === 'stop' && reader.unparseable === 0;
    return whole ? ['ok', undefined] : ['truncated', `clean end without [DONE] (${seen})`];
  }
  if (reader.afterDone > 0) return ['malformed', `${reader.afterDone} events after [DONE]`];
  // Core relays an upstream's malformed chunk as it came ("a malformed chunk is the client's problem to see"):
  // a client that parses each event, as the SDKs do, fails on it, so it is a visible error, not a silent one.
  if (reader.unparseable > 0) return ['error', 'unparseable SSE event relayed from the upstream'];
  if (expected.text === undefined) return ['malformed', 'stream from an endpoint the soak does not know (x-detour-endpoint)'];
  if (reader.text !== expected.text) return ['malformed', `[DONE]-terminated stream with different text (${seen})`];
  if (reader.finishReason !== 'stop') return ['malformed', `[DONE]-terminated stream with finish_reason ${reader.finishReason ?? 'none'}`];
  if (expected.usageAsked && reader.usageChunks !== 1) return ['malformed', `usage asked for, ${reader.usageChunks} usage chunks`];
  if (!expected.usageAsked && reader.usageChunks !== 0) return ['malformed', 'a usage chunk the caller did not ask for'];
  return ['ok', undefined];
};
