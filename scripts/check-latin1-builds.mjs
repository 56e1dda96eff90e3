// Checks that every built JavaScript file of the published packages is Latin-1 only (no character above U+00FF).
// V8 keeps a loaded module's whole source text for as long as the process runs, at one byte per character only when
// every character fits in Latin-1: one en dash or arrow anywhere in a bundle, even in a comment or a String.raw
// template (which esbuild cannot escape), stores all of it at two bytes per character. For the gateway that was
// 80 kB of heap for one dash in the dashboard's script. Write such characters as \u escapes in code, and as plain
// ASCII in comments.
//
//   node scripts/check-latin1-builds.mjs    exits 1 naming each file, line and character, after the build
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const folders = [...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'dist')), join(root, 'apps/worker/dist')];
const aboveLatin1 = /[^\u0000-\u00ff]/u;

const problems = [];
for (const folder of folders.filter((path) => existsSync(path))) {
  for (const name of readdirSync(folder).filter((file) => file.endsWith('.js'))) {
    const lines = readFileSync(join(folder, name), 'utf8').split('\n');
    lines.forEach((line, index) => {
      const found = aboveLatin1.exec(line);
      if (!found) return;
      const code = found[0].codePointAt(0).toString(16).padStart(4, '0');
      problems.push(`${join(folder, name).slice(root.length)}:${index + 1}: "${found[0]}" (U+${code.toUpperCase()}) in: ${line.trim().slice(0, 100)}`);
    });
  }
}

if (problems.length > 0) {
  console.error(`Built files with characters above Latin-1 (each makes V8 hold its whole module's source at two bytes per character):\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`latin-1 builds: every built file of ${folders.length} packages is Latin-1 only`);
