#!/usr/bin/env node
// `pnpm demo`: Detour under fire, then the same load the naive way, a comparison table and an HTML report.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatErrors, formatSummary } from './format-summary.js';
import { parseCliArgs, usage } from './parse-cli-args.js';
import { renderReport } from './report/render-report.js';
import { runDemo } from './run-demo.js';

const defaultReportPath = fileURLToPath(new URL('../reports/demo-report.html', import.meta.url));

let options;
try {
  options = parseCliArgs(process.argv.slice(2), defaultReportPath);
} catch (error) {
  console.error(`${error.message}\n\n${usage}`);
  process.exit(2);
}
if (!options) {
  console.log(usage);
  process.exit(0);
}

const { scenario, durationSeconds, rate } = options;
console.log(`Detour demo, scenario "${scenario.name}": ${scenario.description}.`);
console.log(`Three runs of ${durationSeconds} s at ${rate} requests/s: Detour (gateway + createFetch over three upstreams), then the openai SDK's own retries against the primary alone, then the same SDK trying the next upstream by hand when a request fails.\n`);

const result = await runDemo({ ...options, output: process.stdout });
const [detour] = result.summaries;

console.log(`\n${formatSummary(result.summaries)}\n`);
for (const line of formatErrors(result.summaries)) console.log(line);

const reportPath = resolve(options.reportPath);
await mkdir(dirname(reportPath), { recursive: true });
await writeFile(reportPath, renderReport({ ...result, scenario, durationSeconds, rate }));
// An absolute file:// URL: terminals make it clickable, and it is right whatever folder the demo ran from.
console.log(`\nReport: ${pathToFileURL(reportPath).href}`);

if (detour.successRate < scenario.minimumSuccessRate) {
  console.error(`Detour's success rate ${(detour.successRate * 100).toFixed(1)} % is below the ${(scenario.minimumSuccessRate * 100).toFixed(0)} % that scenario "${scenario.name}" requires.`);
  process.exitCode = 1;
} else {
  console.log(`Detour's success rate meets the scenario's ${(scenario.minimumSuccessRate * 100).toFixed(0)} %.`);
}
