/** Text of a message `content`: a string, or the `text` of its parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') text += (part as { text: string }).text;
  }
  return text;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The conversation a drawn answer is keyed by: roles and texts of `messages` (without `dropLast`, the trailing
 * assistant prefix being continued), plus `system`, `instructions`, `input` and `prompt`. Sampling fields, `stream`,
 * the model and the dialects' prefill flags are left out, so a replay or a continuation of the same request on
 * another instance draws the same answer.
 */
export function conversationKey(body: Record<string, unknown>, dropLast: boolean): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const kept = dropLast ? messages.slice(0, -1) : messages;
  const turns = kept.map((message) => (isRecord(message) ? [message.role, contentText(message.content)] : null));
  return JSON.stringify([turns, contentText(body.system), body.instructions ?? null, body.input ?? null, body.prompt ?? null]);
}
