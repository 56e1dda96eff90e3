import { describe, expect, it } from 'vitest';
import { countPromptTokens } from './token-count';

describe('countPromptTokens', () => {
  it('counts Responses input given as a string or as messages, and instructions', () => {
    expect(countPromptTokens({ input: 'abcdefgh' })).toBe(2);
    expect(countPromptTokens({ input: [{ role: 'user', content: 'abcd' }, { role: 'user', content: [{ type: 'input_text', text: 'efgh' }] }] })).toBe(2);
    expect(countPromptTokens({ input: 'abcd', instructions: 'efgh' })).toBe(2);
  });

  it('counts an Anthropic system prompt given as a string or as blocks', () => {
    const messages = [{ role: 'user', content: 'abcd' }];
    expect(countPromptTokens({ system: 'efgh', messages })).toBe(2);
    expect(countPromptTokens({ system: [{ type: 'text', text: 'efghijkl' }], messages })).toBe(3);
  });
});
