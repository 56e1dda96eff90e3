// Event streams in the shapes the real APIs send, as @detour/testkit emits them (captured from its Responses and
// Messages routes and trimmed). Builders rather than literal captures, so each test states the one part it varies.

const named = (type: string, fields: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

const responseObject = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'resp_6e73db18a96d1', object: 'response', created_at: 1796136256, status, error: null, incomplete_details: null,
  model: 'gpt-5', output: [], store: true, usage: null, ...extra,
});

/** The usage of a Responses call: 1,000 prompt tokens (400 cached), 300 output tokens (120 of them reasoning). */
export const responsesUsage = {
  input_tokens: 1000, input_tokens_details: { cached_tokens: 400 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 120 }, total_tokens: 1300,
};

/** The opening of a Responses stream: `response.created` … `response.content_part.added`. */
export const responsesHead = (): string[] => [
  named('response.created', { sequence_number: 0, response: responseObject('in_progress') }),
  named('response.in_progress', { sequence_number: 1, response: responseObject('in_progress') }),
  named('response.output_item.added', { sequence_number: 2, output_index: 0, item: { id: 'msg_1', type: 'message', status: 'in_progress', content: [], role: 'assistant' } }),
  named('response.content_part.added', { sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', annotations: [], text: '' } }),
];

/** One `response.output_text.delta` per word. */
export const responsesDeltas = (words: readonly string[]): string[] =>
  words.map((word, index) => named('response.output_text.delta', { sequence_number: 4 + index, item_id: 'msg_1', output_index: 0, content_index: 0, delta: word, logprobs: [] }));

/** The closing events of a Responses stream, ending in `response.<status>`. */
export const responsesTail = (status: 'completed' | 'incomplete' | 'failed', extra: Record<string, unknown> = {}): string[] => [
  named('response.output_text.done', { sequence_number: 20, item_id: 'msg_1', output_index: 0, content_index: 0, text: 'Hello from chaos.' }),
  named('response.content_part.done', { sequence_number: 21, item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: 'Hello from chaos.' } }),
  named(`response.${status}`, { sequence_number: 22, response: responseObject(status, { usage: responsesUsage, ...extra }) }),
];

/** A whole Responses stream that completes: three words. */
export const responsesStream = (): string => [...responsesHead(), ...responsesDeltas(['Hello', ' from', ' chaos.']), ...responsesTail('completed')].join('');

/** Anthropic's `message_start`, whose usage has the input side and an early `output_tokens`. */
export const messageStart = (usage: Record<string, unknown>): string =>
  named('message_start', {
    message: { id: 'msg_6e73db18a96d2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1, service_tier: 'standard' } },
  });

/** The content events of a message: a text block with one `content_block_delta` per word, and Anthropic's ping. */
export const messageContent = (words: readonly string[]): string[] => [
  named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  'event: ping\ndata: {"type": "ping"}\n\n',
  ...words.map((word) => named('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } })),
  named('content_block_stop', { index: 0 }),
];

/** `message_delta` with the cumulative usage, then `message_stop`. */
export const messageEnd = (usage: Record<string, unknown>): string[] => [
  named('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage }),
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];

/** The input usage of a message that writes 1,500 tokens for 5 minutes and 2,250 for an hour, and reads 3,000. */
export const messageInputUsage = {
  input_tokens: 40, cache_creation_input_tokens: 3750, cache_read_input_tokens: 3000, cache_creation: { ephemeral_5m_input_tokens: 1500, ephemeral_1h_input_tokens: 2250 },
};

/** A whole message stream: three words, 8 output tokens. */
export const messagesStream = (): string => [messageStart(messageInputUsage), ...messageContent(['Hello', ' from', ' chaos.']), ...messageEnd({ output_tokens: 8 })].join('');

/** Anthropic's mid-stream overload. */
export const overloadedEvent = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';

/** A chat completion stream with a usage chunk and `[DONE]`. */
export const chatStream = (): string =>
  [
    '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
    '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hé"},"finish_reason":null}]}',
    '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
    '{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":30,"completion_tokens_details":{"reasoning_tokens":20},"prompt_tokens_details":{"cached_tokens":0}}}',
    '[DONE]',
  ]
    .map((data) => `data: ${data}\r\n\r\n`)
    .join('');
