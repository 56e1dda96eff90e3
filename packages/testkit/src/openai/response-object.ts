/** What a Responses answer is built from, shared by the JSON answer, the stream and the stored copy. */
export interface ResponseFacts {
  id: string;
  /** The output message's id. */
  itemId: string;
  createdAt: number;
  model: string;
  instructions: string | null;
  maxOutputTokens: number | null;
  previousResponseId: string | null;
  store: boolean;
  text: string;
  /** Whether `max_output_tokens` cut the reply: status `incomplete` instead of `completed`. */
  truncated: boolean;
  inputTokens: number;
  outputTokens: number;
}

/** The one `output_text` part of the message. */
export const outputTextPart = (text: string): Record<string, unknown> => ({ type: 'output_text', annotations: [], logprobs: [], text });

/** The output message item, `in_progress` while streaming and `completed` (or `incomplete`) at the end. */
export function outputMessage(facts: ResponseFacts, status: string, content: unknown[]): Record<string, unknown> {
  return { id: facts.itemId, type: 'message', status, content, role: 'assistant' };
}

/** The status a finished response ends in. */
export const finalStatus = (facts: ResponseFacts): 'completed' | 'incomplete' => (facts.truncated ? 'incomplete' : 'completed');

/**
 * A `response` object in the Responses API's shape. `output_text` is left out on purpose: the API does not send
 * it; the SDKs derive it from `output`.
 *
 * @param status `in_progress` (empty output, null usage), `completed`, `incomplete` or `failed`
 * @param error the `error` object of a failed response
 */
export function responseObject(facts: ResponseFacts, status: string, error: Record<string, string> | null = null): Record<string, unknown> {
  const finished = status === 'completed' || status === 'incomplete';
  return {
    id: facts.id,
    object: 'response',
    created_at: facts.createdAt,
    status,
    background: false,
    error,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: facts.instructions,
    max_output_tokens: facts.maxOutputTokens,
    model: facts.model,
    output: finished ? [outputMessage(facts, status, [outputTextPart(facts.text)])] : [],
    parallel_tool_calls: true,
    previous_response_id: facts.previousResponseId,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: facts.store,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: finished
      ? {
          input_tokens: facts.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: facts.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: facts.inputTokens + facts.outputTokens,
        }
      : null,
    user: null,
    metadata: {},
  };
}
