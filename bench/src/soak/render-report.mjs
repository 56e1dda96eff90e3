// The soak's closing report: outcomes by request kind, what the gateway printed, its resources over the run, and
// the verdict with every reason it failed.
import { kindWeights } from './client/request-kinds.mjs';
import { outcomes } from './tally.mjs';

const pad = (value, width) => String(value).padStart(width);
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const peak = (values) => Math.max(...values.filter(Number.isFinite));

/** Renders the report as lines of text. */
export const renderReport = ({ settings, tally, load, stderr, samples, measured, delayTotal, growth, drained, verdict, switches, machine }) => {
  const lines = [];
  lines.push('', `Detour soak: ${settings.minutes} min at ${settings.rate} req/s, seed ${settings.seed}; ${load.sent} requests sent, ${switches} fault switches`);
  lines.push('');
  lines.push(`${'kind'.padEnd(16)}${['requests', ...outcomes].map((name) => pad(name, 11)).join('')}`);
  const totals = Object.fromEntries(outcomes.map((outcome) => [outcome, 0]));
  let requests = 0;
  for (const [kind] of kindWeights) {
    const row = tally.byKind.get(kind) ?? Object.fromEntries(outcomes.map((outcome) => [outcome, 0]));
    const count = outcomes.reduce((sum, outcome) => sum + row[outcome], 0);
    requests += count;
    for (const outcome of outcomes) totals[outcome] += row[outcome];
    lines.push(`${kind.padEnd(16)}${[count, ...outcomes.map((outcome) => row[outcome])].map((value) => pad(value, 11)).join('')}`);
  }
  lines.push(`${'all'.padEnd(16)}${[requests, ...outcomes.map((outcome) => totals[outcome])].map((value) => pad(value, 11)).join('')}`);
  lines.push('  ok = whole and correct; error = visible error (HTTP error status or broken connection); truncated = clean end without [DONE];');
  lines.push('  malformed = 2xx that ended cleanly but is wrong; hang = no verdict within the bound; abandoned = the client left on purpose');
  lines.push(`  of the ok streams, ${tally.rescued} were rescued mid-answer onto another endpoint, whose whole reply they carry`);
  if (tally.errorReasons.size > 0) {
    lines.push('', 'visible errors by what the client saw:');
    for (const [reason, count] of [...tally.errorReasons].sort((left, right) => right[1] - left[1])) lines.push(`  ${pad(count, 7)}  ${reason}`);
  }
  lines.push('', 'gateway stderr:');
  lines.push(`  unhandled rejections ${stderr.unhandledRejections}`);
  const warnings = [...stderr.warnings].map(([name, count]) => `${name} ×${count}`).join(', ') || 'none';
  lines.push(`  process warnings     ${warnings}`);
  lines.push(`  other lines          ${stderr.otherLines}`);

  lines.push('', `gateway resources (${samples.length} samples, ${settings.sampleMs} ms apart; ${measured.unanswered} unanswered):`);
  lines.push(`  ${''.padEnd(22)}${['start', 'peak', 'end'].map((name) => pad(name, 10)).join('')}`);
  const first = samples[0] ?? {};
  const last = samples.at(-1) ?? {};
  for (const [label, field] of [['RSS MiB', 'rssMiB'], ['heap used MiB', 'heapMiB'], ['open FDs', 'fds'], ['accept queue', 'acceptQueue']]) {
    const digits = field === 'fds' || field === 'acceptQueue' ? 0 : 1;
    lines.push(`  ${label.padEnd(22)}${[first[field], peak(samples.map((sample) => sample[field])), last[field]].map((value) => pad(fixed(value, digits), 10)).join('')}`);
  }
  const cpuShare = ((last.cpuSeconds - first.cpuSeconds) * 1000) / Math.max(1, last.atMs - first.atMs);
  lines.push(`  gateway CPU: ${fixed(cpuShare * 100, 0)} % of one core on average (near 100 %: the gateway itself is the limit)`);
  lines.push(`  event-loop delay after warm-up: p99 ${fixed(delayTotal?.delayP99Ms)} ms, max ${fixed(delayTotal?.delayMaxMs)} ms`);
  lines.push(`  client lateness against its schedule: max ${fixed(load.maxLatenessMs)} ms`);
  lines.push(`  machine: load average ${machine.loadAtStart} at the start, ${machine.loadAtEnd} at the end; ${machine.overflows} listen-queue overflows machine-wide during the run`);
  lines.push('', `growth (warm-up ${fixed(growth.windows.warmupMs / 1000, 0)} s; early window ${growth.windows.early.map((ms) => fixed(ms / 1000, 0)).join('–')} s, late ${growth.windows.late.map((ms) => fixed(ms / 1000, 0)).join('–')} s of the load):`);
  for (const row of growth.rows) {
    lines.push(`  ${row.label.padEnd(10)} early median ${fixed(row.earlyMedian)}, late median ${fixed(row.lateMedian)}, limit ${fixed(row.limit)} (${row.rule}): ${row.inBounds ? 'ok' : row.passed ? 'above (not judged)' : 'GROWTH'}`);
  }
  lines.push(`  open FDs after the drain: ${drained.fds} (before the load ${drained.baseline}; limit ${drained.limit}): ${drained.passed ? 'ok' : 'LEAK'}`);

  if (tally.examples.length > 0) {
    lines.push('', 'failures (first 30):');
    for (const example of tally.examples) lines.push(`  ${example}`);
  }
  if (stderr.examples.length > 0) {
    lines.push('', 'gateway stderr (first 40 lines):');
    for (const line of stderr.examples) lines.push(`  ${line}`);
  }
  // Said out loud, never used to pass a run: a gateway whose accept queue filled while it used little CPU was
  // waiting for a core, and the hangs of such a run say more about the machine than about the gateway.
  const fullQueue = samples.some((sample) => sample.acceptQueue >= 511);
  if (fullQueue && cpuShare < 0.5) {
    lines.push('', `NOTE: the gateway's accept queue reached the backlog while it used ${fixed(cpuShare * 100, 0)} % of a core (load average ${machine.loadAtEnd}): it was starved of CPU. Rerun on a quieter machine or at a lower --rate before reading hangs as gateway defects.`);
  }
  lines.push('', verdict.reasons.length === 0 ? 'VERDICT: PASS' : `VERDICT: FAIL\n${verdict.reasons.map((reason) => `  - ${reason}`).join('\n')}`);
  return lines;
};
