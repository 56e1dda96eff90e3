#!/usr/bin/env node
// Re-renders a report from the raw results in its JSON, without re-measuring: the summary, the goals and the
// markdown are recomputed. Use it after changing how results are summarised or presented.
// Usage: node bench/src/render.mjs docs/benchmarks.json
import { readFileSync, writeFileSync } from 'node:fs';
import { judgeGoals } from './report/goals.mjs';
import { goalsTable, headlineTable, markdownReport } from './report/markdown.mjs';
import { summarize } from './report/summarize.mjs';

const jsonFile = process.argv[2] ?? 'docs/benchmarks.json';
const saved = JSON.parse(readFileSync(jsonFile, 'utf8'));
const summary = summarize(saved.raw);
const goals = judgeGoals(summary);
const { settings, machine, pinning, elapsedMs, generatedAt } = saved;
writeFileSync(jsonFile, `${JSON.stringify({ ...saved, goals, summary }, null, 2)}\n`);
writeFileSync(jsonFile.replace(/\.json$/, '.md'), markdownReport({ summary, goals, settings, machine, startedAt: generatedAt, elapsedMs, pinning }));
process.stdout.write(`${headlineTable(summary, settings)}\n\n${goalsTable(goals)}\n`);
