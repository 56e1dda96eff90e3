#!/usr/bin/env node
// The public surface of every published package, as API Extractor reports it from the built `.d.ts` files. The
// reports are committed (`<package>/api/<entry>.api.md`), so a change to what a package exports shows in review.
//   node scripts/api-report.mjs           check: fails when a report differs from the built surface
//   node scripts/api-report.mjs --write   rewrites the reports after an intended change
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const write = process.argv.includes('--write');

/** Each published package's entries: the subpath name and the `.d.ts` file tsup builds for it. */
const entriesOf = (folder) => {
  const manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  if (manifest.private) return [];
  return Object.entries(manifest.exports ?? {})
    .filter(([subpath]) => subpath !== './package.json')
    .map(([subpath, target]) => {
      const types = typeof target === 'object' ? (target.types ?? target.import?.types) : undefined;
      return { manifest, name: subpath === '.' ? 'index' : subpath.slice(2).replace(/\//g, '-'), types };
    })
    .filter((entry) => typeof entry.types === 'string' && entry.types.endsWith('.d.ts'));
};

let failed = 0;
for (const folder of ['packages/core', 'packages/node', 'packages/edge', 'packages/redis', 'packages/cloudflare', 'packages/testkit', 'apps/worker']) {
  for (const { manifest, name, types } of entriesOf(folder)) {
    const packageFolder = join(root, folder);
    const entryFile = join(packageFolder, types);
    if (!existsSync(entryFile)) {
      console.error(`api-report: ${folder}/${types} is missing: build first (pnpm build)`);
      failed += 1;
      continue;
    }
    const reportFolder = join(packageFolder, 'api');
    mkdirSync(reportFolder, { recursive: true });
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: packageFolder,
        mainEntryPointFilePath: entryFile,
        bundledPackages: [],
        compiler: { overrideTsconfig: { compilerOptions: { lib: ['ES2022', 'DOM'], types: [], skipLibCheck: true, strict: true } } },
        apiReport: { enabled: true, reportFileName: `${name}.api.md`, reportFolder, reportTempFolder: join(root, '.api-report-temp', folder) },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'warning' } },
          extractorMessageReporting: {
            default: { logLevel: 'none' },
            // A public symbol with no doc comment is an undocumented promise.
            'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
          },
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
      configObjectFullPath: join(packageFolder, 'api-extractor.json'),
      packageJsonFullPath: join(packageFolder, 'package.json'),
      packageJson: manifest,
    });
    const result = Extractor.invoke(config, { localBuild: write, showVerboseMessages: false, messageCallback: (message) => {
      if (message.logLevel === 'warning' || message.logLevel === 'error') console.error(`api-report ${folder}: ${message.text}`);
      message.handled = true;
    } });
    if (!result.succeeded || (!write && result.apiReportChanged)) {
      console.error(`api-report: ${folder} (${name}) differs from api/${name}.api.md — review the change, then run node scripts/api-report.mjs --write`);
      failed += 1;
    }
  }
}
if (failed === 0) console.log(`api-report: ${write ? 'written' : 'every public surface matches its committed report'}`);
process.exit(failed === 0 ? 0 : 1);
