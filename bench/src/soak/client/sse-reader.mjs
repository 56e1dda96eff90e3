// Reads an SSE body as it arrives and keeps what the verdict needs: the text of the deltas, the finish reason,
// whether `[DONE]` came and came last, events that do not parse, and usage-only chunks.

/** A fresh reader; `push` each decoded chunk, then read its fields. */
export const createSseReader = () => {
  let pending = '';
  const reader = {
    events: 0,
    text: '',
    finishReason: undefined,
    done: false,
    afterDone: 0,
    unparseable: 0,
    firstUnparseable: undefined,
    usageChunks: 0,
    /** @param {string} chunk */
    push(chunk) {
      pending += chunk;
      const blocks = pending.split(/\r?\n\r?\n/);
      pending = blocks.pop() ?? '';
      for (const block of blocks) readEvent(block);
    },
  };
  const readEvent = (block) => {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '') return; // comments and keep-alives
    reader.events += 1;
    if (reader.done) reader.afterDone += 1;
    if (data === '[DONE]') {
      reader.done = true;
      return;
    }
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      reader.unparseable += 1;
      reader.firstUnparseable ??= data.slice(0, 120);
      return;
    }
    const choices = Array.isArray(event?.choices) ? event.choices : undefined;
    if (!choices) {
      reader.unparseable += 1;
      reader.firstUnparseable ??= data.slice(0, 120);
    } else if (choices.length === 0) {
      if (event.usage) reader.usageChunks += 1;
    } else {
      const [choice] = choices;
      if (typeof choice?.delta?.content === 'string') reader.text += choice.delta.content;
      if (choice?.finish_reason) reader.finishReason = choice.finish_reason;
    }
  };
  return reader;
};
