#!/usr/bin/env node
// pnpm bench [--quick] [--profile-detour]: Detour against the direct path, a bare undici proxy and Portkey's
// open-source gateway, in one run. Upstreams on core 0, each subject on core 1, load generators on core 0 in their
// own processes. Writes docs/benchmarks.{md,json} (quick mode: docs/benchmarks.quick.{md,json}) and prints the
// headline table and the goals at the end.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, killAll, killChildrenOnExit } from './child-processes.mjs';
import { machineInfo } from './machine-info.mjs';
import { profileFile, profileMarkdown, summarizeProfiles } from './profile/profile-report.mjs';
import { topFunctions } from './profile/top-functions.mjs';
import { judgeGoals } from './report/goals.mjs';
import { goalsTable, headlineTable, markdownReport } from './report/markdown.mjs';
import { judgeQuotaGoals, quotaMarkdown, summarizeQuota } from './report/quota-report.mjs';
import { summarize } from './report/summarize.mjs';
import { ensurePortkey } from './servers/portkey-install.mjs';
import { settingsFor } from './settings.mjs';
import { startSubject, subjectNames } from './subjects.mjs';
import { startUpstreams } from './upstream-control.mjs';
import { runCutStreams } from './workloads/cut-streams.mjs';
import { runFailover } from './workloads/failover.mjs';
import { runLatency } from './workloads/latency.mjs';
import { observedMarkdown, runObservedThroughput } from './workloads/observed-throughput.mjs';
import { decompositionMarkdown, runDecomposition } from './workloads/decomposition.mjs';
import { runMemory, runMemoryAnatomy } from './workloads/memory.mjs';
import { memoryAnatomyMarkdown } from './report/memory-anatomy.mjs';
import { runFirstByteByRate } from './workloads/first-byte-by-rate.mjs';
import { firstByteByRateMarkdown } from './report/first-byte-by-rate.mjs';
import { runPrewarm } from './workloads/prewarm.mjs';
import { runQuota } from './workloads/quota.mjs';
import { runStreaming } from './workloads/streaming.mjs';
import { runThroughput } from './workloads/throughput.mjs';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, 'profile-detour': { type: 'boolean', default: false }, only: { type: 'string' }, skip: { type: 'string' } },
});
if (values.only !== undefined && values.only !== 'quota') throw new Error(`--only takes "quota" (got "${values.only}")`);
if (values.skip !== undefined && values.skip !== 'quota') throw new Error(`--skip takes "quota" (got "${values.skip}")`);
const settings = settingsFor(values.quick);
const upstreamCpu = 0;
const subjectCpu = 1;
const loadCpu = 0;
const pinning = canPin
  ? 'upstreams and load generators on CPU 0, the subject under test on CPU 1 (taskset)'
  : 'none (taskset missing or a single CPU)';
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const outputName = settings.mode === 'quick' ? 'benchmarks.quick' : 'benchmarks';
const profileDirectory = values['profile-detour'] ? fileURLToPath(new URL('../.cache/profiles/', import.meta.url)) : undefined;

const startedAt = new Date();
const clock = () => {
  const seconds = Math.floor((Date.now() - startedAt.getTime()) / 1000);
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
};
const log = (message) => process.stderr.write(`[${clock()}] ${message}\n`);

killChildrenOnExit();
if (profileDirectory) rmSync(profileDirectory, { recursive: true, force: true });
// However the run goes, it ends: past the deadline every child is killed and the bench exits non-zero.
const deadline = setTimeout(() => {
  log(`deadline of ${settings.deadlineMs / 60_000} min passed; stopping everything`);
  killAll();
  process.exit(3);
}, settings.deadlineMs);
deadline.unref();

const main = async () => {
  log(`Detour bench, ${settings.mode} mode: ${settings.repetitions} repetition(s); ${pinning}`);
  const portkeyVersions = ensurePortkey(log);
  const machine = machineInfo(portkeyVersions);
  log(`${machine.nproc} × ${machine.cpuModel}, Node ${machine.node}, Portkey ${portkeyVersions['@portkey-ai/gateway']}`);

  const upstreams = await startUpstreams(upstreamCpu);
  log(`upstreams: main ${upstreams.urls.main}, backup ${upstreams.urls.backup}`);
  const subjects = {};
  // Detour and the bare proxy write a CPU profile each (--profile-detour), into a folder of their own.
  for (const name of subjectNames) subjects[name] = await startSubject(name, upstreams.urls, subjectCpu, { profileDirectory: profileDirectory && `${profileDirectory}${name}/` });
  log(`subjects: ${subjectNames.map((name) => `${name} ${subjects[name].origin}`).join(', ')} (listeners checked: 127.0.0.1 only)`);

  const context = { settings, subjects, upstreams, upstreamUrls: upstreams.urls, subjectCpu, loadCpu, log };
  log('warming every subject up (not measured)');
  await runPrewarm(context);
  log('(a) latency at fixed rates');
  const latency = await runLatency(context);
  log('(b) maximum throughput');
  const throughput = await runThroughput(context);
  log("(b′) throughput with the dashboard on vs off, nobody watching");
  const observed = await runObservedThroughput(context);
  log('(c) streaming');
  const streaming = await runStreaming(context);
  log('(c′) first byte against rate');
  const firstByteByRate = await runFirstByteByRate(context);
  log('(d) failover');
  const failover = await runFailover(context);
  log('(f) streams cut at random points, with a continue-capable backup');
  const cutStreams = await runCutStreams(context);
  for (const subject of Object.values(subjects)) await subject.stop();
  log('(b″) where the CPU goes, by layer (fresh processes)');
  const decomposition = await runDecomposition(context);
  log('(e) memory with many open streams (fresh processes)');
  const memory = await runMemory(context);
  log('(e′) where the memory goes: heap probe, fresh processes');
  const memoryAnatomy = await runMemoryAnatomy(context);
  await upstreams.stop();
  const quota = values.skip === 'quota' ? keptQuotaSection() : await runQuotaWorkload(context);

  const summary = summarize({ latency, throughput, streaming, failover, memory, cutStreams });
  const goals = judgeGoals(summary);
  const elapsedMs = Date.now() - startedAt.getTime();
  mkdirSync(docs, { recursive: true });
  const report = markdownReport({ summary, goals, settings, machine, startedAt: startedAt.toISOString(), elapsedMs, pinning });
  // Only the long-lived subjects of workloads (a)–(d) are profiled; each wrote its profile when it was stopped.
  const profiles = profileDirectory ? summarizeProfiles(profileDirectory, { latency, throughput, streaming }) : undefined;
  const profileSection = profiles ? `\n\n${profileMarkdown(profiles)}` : '';
  writeFileSync(`${docs}${outputName}.md`, `${report.trimEnd()}${profileSection}\n\n${firstByteByRateMarkdown({ streaming, latency, byRate: firstByteByRate, settings })}\n${observedMarkdown(observed, settings)}\n${decompositionMarkdown(decomposition, settings)}\n${memoryAnatomyMarkdown(memoryAnatomy, settings)}\n${quota.markdown}\n`);
  writeFileSync(
    `${docs}${outputName}.json`,
    `${JSON.stringify({ generatedAt: startedAt.toISOString(), elapsedMs, settings, machine, pinning, goals, summary, ...(profiles ? { profiles } : {}), quota: quota.json, observed, decomposition, memoryAnatomy, firstByteByRate, raw: { latency, throughput, streaming, failover, memory, cutStreams } }, null, 2)}\n`,
  );
  log(`wrote docs/${outputName}.md and docs/${outputName}.json in ${(elapsedMs / 1000).toFixed(0)} s`);
  const detourProfile = profileDirectory && profileFile(`${profileDirectory}detour/`);
  if (detourProfile) {
    const summaryLines = topFunctions(detourProfile, 25).join('\n');
    writeFileSync(`${profileDirectory}top-functions.txt`, `${detourProfile}\n${summaryLines}\n`);
    process.stdout.write(`\nDetour CPU profile (workloads a–d): ${detourProfile}\n${summaryLines}\n\n${profileMarkdown(profiles)}\n`);
  }
  process.stdout.write(`\n${headlineTable(summary, settings)}\n\n${goalsTable(goals)}\n\n`);
  process.stdout.write(`Goals met: ${goals.filter((goal) => goal.met).length}/${goals.length}. Figures are medians (min–max in the report) from a shared, noisy 2-core machine.\n`);
  printQuota(quota);
};

/** Runs workload (g) and renders its section; the section is delimited so `--only quota` can replace it in place. */
const runQuotaWorkload = async (context) => {
  log('(g) quota: three rate-limited upstreams at shares of their capacity (fresh processes per run)');
  const result = await runQuota({ ...context, upstreamCpu });
  const summary = summarizeQuota(result, settings);
  const goals = judgeQuotaGoals(summary);
  const machine = machineInfo({});
  const commit = `${machine.gitCommit}${machine.gitDirty ? ' (with uncommitted changes)' : ''}`;
  const markdown = quotaMarkdown(summary, goals, settings, { commit, startedAt: startedAt.toISOString() });
  const { runs, ...rest } = summary;
  return { summary, goals, markdown, json: { ...rest, goals, runs: runs.map(({ metrics, ...run }) => ({ ...run, metrics })) } };
};

/**
 * `--skip quota`: keeps workload (g)'s section and JSON key from the existing report (it has its own commit line), so
 * the other workloads can be re-measured without the quota workload's ten minutes.
 */
const keptQuotaSection = () => {
  const markdown = /<!-- quota:start -->[\s\S]*<!-- quota:end -->/.exec(readFileSync(`${docs}${outputName}.md`, 'utf8'))?.[0];
  const json = JSON.parse(readFileSync(`${docs}${outputName}.json`, 'utf8')).quota;
  if (markdown === undefined || json === undefined) throw new Error(`--skip quota needs a quota section in docs/${outputName}.md and .json`);
  log('(g) quota: skipped; the existing section is kept');
  return { markdown, json, goals: json.goals ?? [] };
};

const printQuota = (quota) => {
  const lines = quota.markdown.split('\n').filter((line) => !line.startsWith('<!--'));
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  process.stdout.write(`Quota goals passed: ${quota.goals.filter((goal) => goal.pass).length}/${quota.goals.length}.\n`);
};

/** `--only quota`: runs workload (g) alone and replaces its section (and its JSON key) in the existing report. */
const mainQuotaOnly = async () => {
  log(`Detour bench, quota workload only, ${settings.mode} mode; ${pinning}`);
  const portkeyVersions = ensurePortkey(log);
  log(`Portkey ${portkeyVersions['@portkey-ai/gateway']}`);
  const quota = await runQuotaWorkload({ settings, subjectCpu, loadCpu, log });
  mkdirSync(docs, { recursive: true });
  const mdFile = `${docs}${outputName}.md`;
  const existing = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '# Detour benchmarks\n';
  const section = /<!-- quota:start -->[\s\S]*<!-- quota:end -->/;
  const updated = section.test(existing) ? existing.replace(section, () => quota.markdown) : `${existing.trimEnd()}\n\n${quota.markdown}\n`;
  writeFileSync(mdFile, updated);
  const jsonFile = `${docs}${outputName}.json`;
  const json = existsSync(jsonFile) ? JSON.parse(readFileSync(jsonFile, 'utf8')) : {};
  json.quota = quota.json;
  writeFileSync(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  log(`updated the quota section of docs/${outputName}.md and the quota key of docs/${outputName}.json`);
  printQuota(quota);
};

(values.only === 'quota' ? mainQuotaOnly() : main()).then(
  () => {
    killAll();
    process.exit(0);
  },
  (error) => {
    log(`failed: ${error.stack ?? error}`);
    killAll();
    process.exit(1);
  },
);
