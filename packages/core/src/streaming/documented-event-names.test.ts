import { describe, expect, it } from 'vitest';
import { isDocumentedEventName } from './documented-event-names';

describe('isDocumentedEventName', () => {
  it("knows every event of the openai SDK's ResponseStreamEvent and the Anthropic SDK's RawMessageStreamEvent", () => {
    // The names as the SDKs list them (openai 6.x, @anthropic-ai/sdk 1.x), against the grouped expression.
    const documented = [
      'error', 'ping', 'message_start', 'message_delta', 'message_stop', 'content_block_start', 'content_block_delta', 'content_block_stop',
      'response.queued', 'response.created', 'response.in_progress', 'response.completed', 'response.failed', 'response.incomplete',
      'response.output_item.added', 'response.output_item.done', 'response.content_part.added', 'response.content_part.done',
      'response.output_text.delta', 'response.output_text.done', 'response.output_text.annotation.added',
      'response.refusal.delta', 'response.refusal.done', 'response.function_call_arguments.delta', 'response.function_call_arguments.done',
      'response.custom_tool_call_input.delta', 'response.custom_tool_call_input.done',
      'response.reasoning_summary_part.added', 'response.reasoning_summary_part.done',
      'response.reasoning_summary_text.delta', 'response.reasoning_summary_text.done', 'response.reasoning_text.delta', 'response.reasoning_text.done',
      'response.audio.delta', 'response.audio.done', 'response.audio.transcript.delta', 'response.audio.transcript.done',
      'response.file_search_call.in_progress', 'response.file_search_call.searching', 'response.file_search_call.completed',
      'response.web_search_call.in_progress', 'response.web_search_call.searching', 'response.web_search_call.completed',
      'response.image_generation_call.in_progress', 'response.image_generation_call.generating',
      'response.image_generation_call.partial_image', 'response.image_generation_call.completed',
      'response.code_interpreter_call.in_progress', 'response.code_interpreter_call.interpreting', 'response.code_interpreter_call.completed',
      'response.code_interpreter_call_code.delta', 'response.code_interpreter_call_code.done',
      'response.mcp_call.in_progress', 'response.mcp_call.completed', 'response.mcp_call.failed',
      'response.mcp_call_arguments.delta', 'response.mcp_call_arguments.done',
      'response.mcp_list_tools.in_progress', 'response.mcp_list_tools.completed', 'response.mcp_list_tools.failed',
    ];
    expect(documented.filter((name) => !isDocumentedEventName(name))).toEqual([]);
  });

  it('knows no other name, however close', () => {
    for (const name of ['response.some_new_event', 'response.some_new.delta', 'response.output_textXdelta', 'response.completed ', 'content_block_some_new', 'message_ping', 'response.', 'speech.audio.delta', '']) {
      expect(isDocumentedEventName(name)).toBe(false);
    }
  });
});
