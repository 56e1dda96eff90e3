import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core runs in Node, workerd and browsers alike: it may not reach for any runtime's API. Time, timers, sleep and
// randomness are injected; the one seam that wraps the platform's timers is the default clock.
const root = join(import.meta.dirname, '..');
const source = join(root, 'src');
const seam = 'ports/system-clock.ts';
const forbidden: [RegExp, string][] = [
  [/from\s+['"]node:/, 'imports a node: module'],
  [/\brequire\s*\(/, 'calls require'],
  [/\bprocess\./, 'touches process'],
  [/\bBuffer\b/, 'touches Buffer'],
  [/(?<![.\w])set(Timeout|Interval|Immediate)\s*\(/, 'schedules with a global timer'],
  [/(?<![.\w])clear(Timeout|Interval)\s*\(/, 'clears a global timer'],
  [/(?<![.\w])fetch\s*\(/, 'calls fetch'],
  [/\bDate\.now\s*\(/, 'reads Date.now'],
  [/\bperformance\.now\s*\(/, 'reads performance.now'],
  [/from\s+['"](undici|hono|@detour\/[^'"]+|ioredis)['"]/, 'imports a runtime library'],
  // `globalThis.setTimeout(…)`: the same runtime APIs reached through the global object (Biome's noRestrictedGlobals
  // catches `window` and `self`, which this text check would confuse with local names).
  [/\bglobalThis\s*(\.|\[)/, 'reaches into the global object'],
];

const files = (folder: string): string[] =>
  readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });

// Comments may name the APIs they avoid.
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '').replace(/\s\/\/.*$/gm, '');

describe('core purity', () => {
  it('touches no runtime API outside the default clock', () => {
    const offences: string[] = [];
    for (const file of files(source)) {
      const name = relative(source, file);
      if (name === seam) continue;
      const text = code(readFileSync(file, 'utf8'));
      for (const [pattern, what] of forbidden) if (pattern.test(text)) offences.push(`${name} ${what}`);
    }
    expect(offences).toEqual([]);
  });

  it('compiles without Node\'s types and depends on zod alone', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.types).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['zod']);
  });

  it('would catch an offence (the check is not vacuous)', () => {
    const sample = "import { x } from 'node:fs';\nconst t = setTimeout(() => 1, 5);\n// Date.now() in a comment is fine\n";
    const found = forbidden.filter(([pattern]) => pattern.test(code(sample))).map(([, what]) => what);
    expect(found).toEqual(['imports a node: module', 'schedules with a global timer']);
    const viaGlobal = "const t = globalThis.setTimeout(() => 1, 5);\nconst f = globalThis['fetch'];\n";
    expect(forbidden.filter(([pattern]) => pattern.test(code(viaGlobal))).map(([, what]) => what)).toEqual(['reaches into the global object']);
  });
});
