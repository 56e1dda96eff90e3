import { describe, expect, it } from 'vitest';
import { createCostLedger } from '../dashboard/cost-ledger';
import { renderCosts } from './costs-command';

/** What `detour-gateway costs` prints for one billed attempt of `model`. */
const costsOfModel = (model: string): string => {
  const ledger = createCostLedger();
  ledger.record({
    type: 'cost-record', at: 60_000, endpoint: 'primary', model, api: 'chat', caller: 'team-a', outcome: 'success', costUsd: 0.001, estimated: false,
    usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 },
  });
  return renderCosts(ledger.summary(60_000, 60_000), '1m');
};

describe('detour-gateway costs: rendering', () => {
  it('prints control characters in names escaped, never raw to the terminal', () => {
    const text = costsOfModel('gpt-4.1-mini-\u001b[2J\u001b[31mFAKE\u001b[0m');
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('gpt-4.1-mini-\\u001b[2J\\u001b[31mFAKE\\u001b[0m');
  });

  it('prints bidirectional overrides, zero-width characters and line separators escaped (attack 13)', () => {
    const text = costsOfModel('gpt\u202e1.4-tpg\u202c\u200b\u2028\u2066x\u2069');
    expect(text).not.toMatch(/[\u202e\u202c\u200b\u2028\u2066\u2069]/);
    expect(text).toContain('gpt\\u202e1.4-tpg\\u202c\\u200b\\u2028\\u2066x\\u2069');
  });
});
