#!/usr/bin/env node
// node bench/src/cut-streams.mjs [--quick] [--repetitions N]: workload (f) of `pnpm bench` on its own (streams cut at
// random points, a continue-capable backup; Detour, Portkey and direct), for iterating on mid-stream rescue without
// the whole bench. Same upstreams, settings and judging as the full run; prints the section's table. Needs
// `pnpm build` and, for Portkey, the cache `pnpm bench` installs on its first run.
import { parseArgs } from 'node:util';
import { killAll, killChildrenOnExit } from './child-processes.mjs';
import { ensurePortkey } from './servers/portkey-install.mjs';
import { settingsFor } from './settings.mjs';
import { startSubject } from './subjects.mjs';
import { startUpstreams } from './upstream-control.mjs';
import { runCutStreams } from './workloads/cut-streams.mjs';
import { spread } from './summary-statistics.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, repetitions: { type: 'string' } } });
const base = settingsFor(values.quick);
const settings = { ...base, repetitions: values.repetitions === undefined ? base.repetitions : Number(values.repetitions) };
const log = (message) => process.stderr.write(`${message}\n`);
killChildrenOnExit();

try {
  ensurePortkey(log);
  const upstreams = await startUpstreams(0);
  const portkey = await startSubject('portkey', upstreams.urls, 1);
  const result = await runCutStreams({ settings, subjects: { portkey }, upstreams, upstreamUrls: upstreams.urls, subjectCpu: 1, loadCpu: 0, log });
  await portkey.stop();
  await upstreams.stop();
  const pct = (value) => `${(100 * value).toFixed(1)} %`;
  const lines = [
    `Cut streams: ${Math.round(100 * result.cutShare)} % of ${result.tokens}-token streams cut at cut-main; Detour ${result.continuation ? 'with' : 'without'} the continuation option; ${settings.repetitions} × ${settings.cutStreams.count} streams per subject.`,
    '',
    '| subject | whole | visible error | silent truncation | not a prefix | upstream requests per stream |',
    '|---|---|---|---|---|---|',
  ];
  for (const [name, runs] of Object.entries(result.runs)) {
    const share = (field) => pct(spread(runs.map((run) => run[field] / run.count)).median);
    const notAPrefix = runs.reduce((sum, run) => sum + run.notAPrefix, 0);
    const perStream = spread(runs.map((run) => run.upstreamRequests / run.count)).median.toFixed(3);
    lines.push(`| ${name} | ${share('whole')} | ${share('visibleError')} | ${share('silentTruncation')} | ${notAPrefix} | ${perStream} |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  killAll();
  process.exit(0);
} catch (error) {
  log(`failed: ${error.stack ?? error}`);
  killAll();
  process.exit(1);
}
