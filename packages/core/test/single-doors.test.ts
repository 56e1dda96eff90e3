import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 13: an ending is released in one place. Two places that emit "request ended" drift apart, so the places
// are pinned here by name; `src/engine/request-end.test.ts` checks the behaviour behind them.
const source = join(import.meta.dirname, '..', 'src');
const files = (folder: string): string[] =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
const filesMatching = (pattern: RegExp) =>
  files(source)
    .filter((file) => pattern.test(readFileSync(file, 'utf8')))
    .map((file) => relative(source, file).split('\\').join('/'))
    .sort();

describe('single doors', () => {
  it('emits request-end from settleRequest alone', () => {
    // events.ts declares the event's type; settle-request.ts is the only place that builds one.
    expect(filesMatching(/type: 'request-end'/)).toEqual(['engine/events.ts', 'engine/settle-request.ts']);
    // Its callers: the loop's one catch, a JSON answer, and a stream's settlement.
    expect(filesMatching(/\bsettleRequest\(/)).toEqual(['engine/send-request.ts', 'engine/serve-result.ts', 'engine/settle-stream.ts']);
  });

  it('writes a stream\'s ending to the breaker in stream-outcome.ts alone', () => {
    expect(filesMatching(/\brecordStreamOutcome\(/)).toEqual(['engine/settle-stream.ts']);
    // Every breaker write: an attempt's verdict, a freed probe slot, a stream's ending.
    expect(filesMatching(/\bstore\.recordResult\(/)).toEqual(['engine/apply-attempt-outcome.ts', 'engine/release-held.ts', 'engine/stream-outcome.ts']);
  });
});
