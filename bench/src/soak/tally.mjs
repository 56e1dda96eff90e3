// Counts outcomes by request kind and keeps a few examples of each failure, so the table says how many and the
// examples say what.

export const outcomes = ['ok', 'error', 'truncated', 'malformed', 'hang', 'abandoned'];
const failing = new Set(['truncated', 'malformed', 'hang']);

export const createTally = () => {
  const byKind = new Map();
  const errorReasons = new Map();
  const examples = [];
  return {
    byKind,
    errorReasons,
    examples,
    /** Streams whose whole answer came from another endpoint than the one that started it (a rescue's replay). */
    rescued: 0,
    /** @param {{ kind: string, outcome: string, detail?: string, endpoint?: string }} result */
    add(result) {
      const row = byKind.get(result.kind) ?? Object.fromEntries(outcomes.map((outcome) => [outcome, 0]));
      row[result.outcome] += 1;
      byKind.set(result.kind, row);
      if (result.outcome === 'ok' && result.detail?.startsWith('rescued')) this.rescued += 1;
      if (result.outcome === 'error') {
        // Group visible errors by what the client saw, without per-request detail.
        const reason = (result.detail ?? '').replace(/ \(.*\)$/, '');
        errorReasons.set(reason, (errorReasons.get(reason) ?? 0) + 1);
      }
      if (failing.has(result.outcome) && examples.length < 30) {
        examples.push(`${result.outcome} ${result.kind} via ${result.endpoint ?? '?'}: ${result.detail ?? ''}`);
      }
    },
    total(outcome) {
      let sum = 0;
      for (const row of byKind.values()) sum += row[outcome];
      return sum;
    },
  };
};
