// `pnpm bench --profile-detour`: Detour's and the bare proxy's CPU profiles, cut into the workloads' runs and
// charged to components (components.mjs), as microseconds of CPU per request: where Detour's extra time goes.
import { existsSync, readdirSync } from 'node:fs';
import { componentTimes, components, readProfile } from './components.mjs';
import { markdownTable } from '../report/markdown-table.mjs';

/** The profiled subjects, in column order. */
export const profiledSubjects = ['detour', 'bare'];

/** The phases reported: a name and the runs (each with its `profileWindow`) of one subject in that phase. */
const phasesOf = (raw) => [
  ...Object.keys(raw.latency).map((rate) => ({ name: `JSON @ ${rate} req/s`, runs: (subject) => raw.latency[rate][subject] })),
  { name: 'JSON, max throughput', runs: (subject) => raw.throughput[subject] },
  { name: 'streams @ 50/s (per stream)', runs: (subject) => raw.streaming[subject] },
];

/** The one .cpuprofile a subject wrote into `directory`, if any. */
export const profileFile = (directory) => {
  if (!existsSync(directory)) return undefined;
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  return file && `${directory}${file}`;
};

/**
 * Per phase and subject: requests, busy µs per request and µs per request by component. `directory` holds one
 * folder per subject (`detour/`, `bare/`) with the profile it wrote when it stopped.
 */
export const summarizeProfiles = (directory, raw) => {
  const profiles = Object.fromEntries(profiledSubjects.map((subject) => {
    const file = profileFile(`${directory}${subject}/`);
    return [subject, file && { file, profile: readProfile(file) }];
  }));
  const phases = phasesOf(raw).map(({ name, runs }) => ({
    name,
    subjects: Object.fromEntries(profiledSubjects.filter((subject) => profiles[subject]).map((subject) => {
      const windows = (runs(subject) ?? []).map((run) => run.profileWindow).filter(Boolean);
      const requests = windows.reduce((sum, window) => sum + window.requests, 0);
      const { busyUs, byComponent } = componentTimes(profiles[subject].profile, windows);
      return [subject, { requests, busyUsPerRequest: busyUs / requests, usPerRequest: Object.fromEntries([...byComponent].map(([id, us]) => [id, us / requests])) }];
    })),
  }));
  return { files: Object.fromEntries(profiledSubjects.map((subject) => [subject, profiles[subject]?.file])), phases };
};

const format = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');

/** The report's section: one row per component, Detour and bare µs per request side by side for each phase. */
export const profileMarkdown = (summary) => {
  const header = ['component', ...summary.phases.flatMap((phase) => profiledSubjects.map((subject) => `${phase.name}: ${subject}`))];
  const cell = (phase, subject, pick) => (phase.subjects[subject] ? format(pick(phase.subjects[subject])) : '—');
  const rows = [
    ...components.map(({ id, label }) => [label, ...summary.phases.flatMap((phase) => profiledSubjects.map((subject) => cell(phase, subject, (row) => row.usPerRequest[id])))]),
    ['**total CPU, µs per request** (idle excluded)', ...summary.phases.flatMap((phase) => profiledSubjects.map((subject) => cell(phase, subject, (row) => row.busyUsPerRequest)))],
  ];
  const table = markdownTable(header, rows);
  return `## Where the CPU goes (\`--profile-detour\`)

CPU profiles (\`node --cpu-prof\`, sampled every 1 ms) of the Detour gateway and the bare proxy over workloads (a)–(c), cut into
each run's window and divided by the requests of those runs (streams count once each): µs of CPU per request by
component. Each sample is charged to the innermost frame of a known component, so Node internals called from our
code count as that code's; the profiler's own overhead inflates every figure a little. Summarised by
\`bench/src/profile/components.mjs\`; the profiles: ${Object.values(summary.files).filter(Boolean).map((file) => `\`${file.replace(/^.*\/bench\//, 'bench/')}\``).join(', ')}.

${table}`;
};
