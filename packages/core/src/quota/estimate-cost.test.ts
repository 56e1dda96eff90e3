import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateCost } from './estimate-cost';

const options = { defaultOutputTokens: 256 };

describe('estimateCost', () => {
  it('counts chat text at four characters a token, plus framing per message, and reserves max_tokens', () => {
    const body = { model: 'm', max_tokens: 100, messages: [{ role: 'system', content: 'x'.repeat(40) }, { role: 'user', content: [{ type: 'text', text: 'y'.repeat(80) }] }] };
    expect(estimateCost(body, 0, '/chat/completions', options)).toEqual({ requests: 1, inputTokens: 30 + 8, outputTokens: 100 });
  });

  it('reads responses and messages bodies, and their output limits', () => {
    expect(estimateCost({ input: 'z'.repeat(400), instructions: 'be brief', max_output_tokens: 50 }, 0, '/responses', options)).toEqual({ requests: 1, inputTokens: 102, outputTokens: 50 });
    expect(estimateCost({ system: 'abcd', messages: [{ role: 'user', content: 'abcd' }], max_tokens: 9 }, 0, '/messages', options)).toEqual({ requests: 1, inputTokens: 6, outputTokens: 9 });
  });

  it("counts the text of tool calls and their results, and only a part's own fields", () => {
    const input = [
      { type: 'function_call', name: 'search', arguments: 'a'.repeat(40) },
      { type: 'function_call_output', output: 'b'.repeat(40) },
      { role: 'user', content: [{ type: 'input_text', text: 'c'.repeat(40) }] },
    ];
    expect(estimateCost({ input, max_output_tokens: 1 }, 0, '/responses', options).inputTokens).toBe(30);
    // A `__proto__` member of a parsed body is an ordinary field: its text is no message's.
    const parsed = JSON.parse('{"messages":[{"role":"user","__proto__":{"content":"xxxxxxxx"},"content":"abcd"}]}') as Record<string, unknown>;
    expect(estimateCost(parsed, 0, '/chat/completions', options).inputTokens).toBe(1 + 4);
  });

  it('falls back to the default output, none for embeddings, and scales by the calibration', () => {
    expect(estimateCost({ messages: [] }, 0, '/chat/completions', options).outputTokens).toBe(256);
    expect(estimateCost({ input: 'abcdabcd' }, 0, '/embeddings', options)).toEqual({ requests: 1, inputTokens: 2, outputTokens: 0 });
    expect(estimateCost({ input: 'abcdabcd' }, 0, '/embeddings', { ...options, inputRatio: 2 }).inputTokens).toBe(4);
  });

  it('counts the characters a plain walk of the text fields counts, for any JSON body (property)', () => {
    // The walk as written first: every text field looked up with `in`.
    const reference = (body: Record<string, unknown>): number => {
      let characters = 0;
      let parts = 0;
      const walk = (value: unknown, depth: number): void => {
        if (parts++ > 10_000 || depth > 8) return;
        if (typeof value === 'string') characters += value.length;
        else if (Array.isArray(value)) for (const item of value) walk(item, depth + 1);
        else if (typeof value === 'object' && value !== null) {
          for (const field of ['content', 'text', 'input', 'output', 'arguments']) if (field in value) walk((value as Record<string, unknown>)[field], depth + 1);
        }
      };
      for (const field of ['messages', 'input', 'prompt', 'system', 'instructions', 'tools']) {
        if (body[field] === undefined) continue;
        if (field === 'tools') characters += JSON.stringify(body[field])?.length ?? 0;
        else walk(body[field], 0);
      }
      return characters;
    };
    const text = fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 }));
    const part = fc.record({ content: text, text, input: text, output: text, arguments: text, role: fc.string() }, { requiredKeys: [] });
    const body = fc.record({ messages: fc.array(part), input: fc.oneof(text, fc.array(part)), system: text, prompt: text }, { requiredKeys: [] });
    fc.assert(
      fc.property(body, (generated) => {
        const parsed = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
        const messages = Array.isArray(parsed.messages) ? parsed.messages.length : 0;
        const cost = estimateCost({ ...parsed, max_tokens: 1 }, 0, '/chat/completions', options);
        expect(cost.inputTokens).toBe(Math.ceil(reference(parsed) / 4) + messages * 4);
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('never throws, and never estimates a negative or non-finite cost, whatever the body', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (body) => {
        const cost = estimateCost(body, 10, '/chat/completions', options);
        return [cost.inputTokens, cost.outputTokens].every((value) => Number.isFinite(value) && value >= 0);
      }),
    );
  });
});
