import type { Random } from '../random';
import type { FaultRule, When } from '../types';

/** What a rule can be matched against. */
export interface RequestFacts {
  /** 1-based request number since the script was set. */
  seq: number;
  /** Milliseconds since the script was set. */
  elapsedMs: number;
  path: string;
  model: string | undefined;
  stream: boolean;
}

function matchesCount(when: When, seq: number): boolean {
  if (when.every !== undefined) {
    const shifted = seq - (when.offset ?? 0);
    if (shifted <= 0 || shifted % when.every !== 0) return false;
  }
  if (when.nth !== undefined && !when.nth.includes(seq)) return false;
  if (when.from !== undefined && seq < when.from) return false;
  if (when.to !== undefined && seq > when.to) return false;
  return true;
}

function matchesWindow(when: When, elapsedMs: number): boolean {
  const start = when.afterMs ?? 0;
  if (elapsedMs < start) return false;
  return when.forMs === undefined || elapsedMs < start + when.forMs;
}

function matchesRequest(when: When, facts: RequestFacts): boolean {
  if (when.path !== undefined && when.path !== facts.path) return false;
  if (when.model !== undefined && when.model !== facts.model) return false;
  return when.stream === undefined || when.stream === facts.stream;
}

/**
 * Finds the first rule whose `when` matches the request. The probability draw comes last and only for a rule
 * whose other conditions hold, so a seeded run draws the same numbers for the same traffic.
 *
 * @example
 * matchRule([{ when: { nth: [2] }, fault: { type: 'reset' } }], facts, random)?.fault; // on request 2 only
 */
export function matchRule(rules: readonly FaultRule[], facts: RequestFacts, random: Random): FaultRule | undefined {
  for (const rule of rules) {
    const when = rule.when;
    if (when === undefined) return rule;
    if (!matchesCount(when, facts.seq)) continue;
    if (!matchesWindow(when, facts.elapsedMs)) continue;
    if (!matchesRequest(when, facts)) continue;
    if (when.probability !== undefined && random() >= when.probability) continue;
    return rule;
  }
  return undefined;
}
