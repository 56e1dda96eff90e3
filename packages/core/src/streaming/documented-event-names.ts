/**
 * The event names the Responses API and Anthropic Messages streams document: the openai SDK's `ResponseStreamEvent`
 * (6.x) and the Anthropic SDK's `RawMessageStreamEvent`, with `error` and `ping`. An event of either grammar under
 * another name (`response.some_new_event`) is still read by its grammar's rules, but nothing vouches that what it
 * carries is the model's output: a relay scrubs it, as it does a line no parse vouches for.
 *
 * One regular expression, not a Set of the names: it reads a name in place, where a name is a fresh slice of its line
 * that a Set would hash and a comparison flatten (each measured at 40-60 ns an event, a tenth of the watcher's time
 * on a delta); written grouped, it also keeps the edge bundle within its budget (the list cost 340 B gzipped). The
 * test lists every name.
 */
// Grouped as the SDKs name them. Responses: the lifecycle; items, parts and annotations added and done; every
// streamed value's delta and done; the built-in tools' progress.
const documented =
  /^(?:error|ping|(?:message|content_block)_(?:start|delta|stop)|response\.(?:queued|created|in_progress|completed|failed|incomplete|(?:output_item|content_part|reasoning_summary_part)\.(?:added|done)|output_text\.annotation\.added|(?:output_text|refusal|function_call_arguments|custom_tool_call_input|reasoning_(?:summary_)?text|audio(?:\.transcript)?|code_interpreter_call_code|mcp_call_arguments)\.(?:delta|done)|(?:file|web)_search_call\.(?:in_progress|searching|completed)|image_generation_call\.(?:in_progress|generating|partial_image|completed)|code_interpreter_call\.(?:in_progress|interpreting|completed)|mcp_(?:call|list_tools)\.(?:in_progress|completed|failed)))$/;

/** Whether a named grammar documents this event name (no allocation, whatever the name). */
export const isDocumentedEventName = (type: string): boolean => documented.test(type);
