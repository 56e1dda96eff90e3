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

  it('falls back to the default output, none for embeddings, and scales by the calibration', () => {
    expect(estimateCost({ messages: [] }, 0, '/chat/completions', options).outputTokens).toBe(256);
    expect(estimateCost({ input: 'abcdabcd' }, 0, '/embeddings', options)).toEqual({ requests: 1, inputTokens: 2, outputTokens: 0 });
    expect(estimateCost({ input: 'abcdabcd' }, 0, '/embeddings', { ...options, inputRatio: 2 }).inputTokens).toBe(4);
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
