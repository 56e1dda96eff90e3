import { readUsage, type Usage } from '../pricing/usage';

/** What a watcher has seen of an event stream so far. */
export interface SseWatcher {
  /** Feeds the next raw chunk. */
  push(chunk: Uint8Array): void;
  /** The stream's terminating event arrived (`data: [DONE]`, or the Responses / Anthropic end events). */
  readonly finished: boolean;
  /** An error event arrived (`event: error`, or a `data:` object with a top-level `error`), with its payload. */
  readonly error: unknown;
  /** The usage reported in the stream, when the caller asked for it (`stream_options.include_usage`). */
  readonly usage: Usage | undefined;
  /** `data:` events seen; each OpenAI chunk carries about one token, which prices a cut stream. */
  readonly events: number;
  /**
   * Every expected choice has reported a `finish_reason`. Several providers never send `data: [DONE]`: such a
   * stream that then closes cleanly is a whole answer. Not a terminating event by itself: a usage chunk may follow.
   */
  readonly choicesFinished: boolean;
}

const finishKey = '"finish_reason"';

/**
 * Does this chunk give a choice a finish_reason? Most OpenAI chunks say `"finish_reason":null`: only a string value
 * is news, and only those few chunks get parsed. A scan, not a regex, since it runs on nearly every chunk.
 */
const hasFinishReason = (data: string): boolean => {
  let at = data.indexOf(finishKey);
  while (at >= 0) {
    let index = at + finishKey.length;
    while (data.charCodeAt(index) === 32) index += 1;
    if (data.charCodeAt(index) === 58 /* : */) {
      index += 1;
      while (data.charCodeAt(index) === 32) index += 1;
      if (data.charCodeAt(index) === 34 /* " */) return true;
    }
    at = data.indexOf(finishKey, index);
  }
  return false;
};

// Anthropic's and the Responses API's last events; `response.incomplete` is a normal end too (max_output_tokens
// reached, content filtered), while `response.failed` ends the stream with an error.
const endEvents = /^event:\s*(message_stop|response\.completed|response\.incomplete|response\.failed)\s*$/;

/**
 * Watches a server-sent event stream as it passes through, without buffering it: notes the terminating event,
 * error events and usage. A stream that closes without its terminating event was cut, whatever TCP said.
 *
 * Slightly over 80 lines: one line-oriented parser whose state (the partial line, the current event name, the
 * choices seen finishing) must persist across chunks that split events anywhere.
 */
export const createSseWatcher = (expectedChoices = 1): SseWatcher => {
  const decoder = new TextDecoder();
  let pending = '';
  let finished = false;
  let error: unknown;
  let usage: Usage | undefined;
  let events = 0;
  let lastEvent = '';
  // Choice indexes that reported a finish_reason; a small array, since `n` is small.
  const finishedChoices: number[] = [];

  const noteFinishReasons = (parsed: Record<string, unknown>) => {
    const choices = parsed.choices;
    if (!Array.isArray(choices)) return;
    for (const choice of choices as { index?: unknown; finish_reason?: unknown }[]) {
      if (typeof choice?.finish_reason !== 'string') continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      if (!finishedChoices.includes(index) && finishedChoices.length < expectedChoices) finishedChoices.push(index);
    }
  };

  const readLine = (line: string) => {
    if (line === '') {
      lastEvent = ''; // a blank line ends the event, and its type with it
    } else if (line.startsWith('data:')) {
      events += 1;
      const data = line.slice(line[5] === ' ' ? 6 : 5);
      if (data === '[DONE]') {
        finished = true;
        return;
      }
      if (lastEvent === 'error') error = data;
      // Parse only the few chunks that can matter; most carry a token of text.
      const ends = hasFinishReason(data);
      if (ends || data.includes('"usage"') || data.startsWith('{"error"') || data.includes('"type":"error"')) {
        try {
          const parsed = JSON.parse(data) as Record<string, unknown>;
          if (ends) noteFinishReasons(parsed);
          if (parsed.error !== undefined && parsed.error !== null) error = parsed.error;
          const found = readUsage(parsed.usage ?? (parsed.response as Record<string, unknown> | undefined)?.usage);
          if (found) usage = found;
          if (parsed.type === 'response.completed' || parsed.type === 'response.incomplete') finished = true;
        } catch {
          // A malformed chunk is the client's problem to see; it is not ours to drop.
        }
      }
    } else if (line.startsWith('event:')) {
      lastEvent = line.slice(6).trim();
      if (endEvents.test(line)) finished = true;
      if (lastEvent === 'error' || lastEvent === 'response.failed') error ??= `${lastEvent} event`;
    }
  };

  return {
    push(chunk) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        readLine(line);
        newline = pending.indexOf('\n');
      }
    },
    get finished() {
      return finished;
    },
    get error() {
      return error;
    },
    get usage() {
      return usage;
    },
    get events() {
      return events;
    },
    get choicesFinished() {
      return finishedChoices.length >= expectedChoices;
    },
  };
};
