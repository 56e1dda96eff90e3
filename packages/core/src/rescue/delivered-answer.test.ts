import { describe, expect, it } from 'vitest';
import { createDeliveredAnswer, noteDelivered } from './delivered-answer';

const chunk = (delta: Record<string, unknown>) => ({ id: 'c1', choices: [{ index: 0, delta }] });

describe('noteDelivered', () => {
  it('keeps every channel\'s text whole across the periodic compaction of a long answer', () => {
    const answer = createDeliveredAnswer();
    let content = '';
    let reasoning = '';
    let args = '';
    for (let index = 0; index < 300; index += 1) {
      const piece = ` word${index}`;
      content += piece;
      reasoning += index % 3 === 0 ? piece : '';
      args += index % 5 === 0 ? `"${index}",` : '';
      noteDelivered(answer, chunk({
        content: piece,
        ...(index % 3 === 0 ? { reasoning_content: piece } : {}),
        ...(index % 5 === 0 ? { tool_calls: [{ index: 1, function: { arguments: `"${index}",` } }] } : {}),
      }));
    }
    expect(answer.content).toBe(content);
    expect(answer.reasoning).toBe(reasoning);
    expect(answer.toolCalls[0]).toBeUndefined();
    expect(answer.toolCalls[1]?.arguments).toBe(args);
    expect(answer.textChunks).toBe(300);
  });
});
