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

  it('lets the text go once it passes the bound, and keeps counting chunks (tenth attack)', () => {
    const answer = createDeliveredAnswer(100);
    for (let index = 0; index < 9; index += 1) noteDelivered(answer, chunk({ content: 'x'.repeat(10) }));
    noteDelivered(answer, chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '{}' } }] }));
    expect(answer).toMatchObject({ held: 93, overflowed: false, content: 'x'.repeat(90) });
    noteDelivered(answer, chunk({ reasoning_content: 'y'.repeat(8) }));
    expect(answer).toMatchObject({ overflowed: true, content: '', reasoning: '', toolCalls: [] });
    noteDelivered(answer, chunk({ content: 'more', finish_reason: null }));
    noteDelivered(answer, { id: 'c1', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    expect(answer).toMatchObject({ content: '', textChunks: 12, finishReason: 'stop' });
  });
});
