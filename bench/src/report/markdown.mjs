// The human report: headline table, goals, then one section per workload with medians and min–max.
import { formatMs, formatSignedMs, formatSpread } from '../summary-statistics.mjs';
import { subjectLabels, subjectNames } from '../subjects.mjs';
import { markdownTable as table, formatMib as mib } from './markdown-table.mjs';

const percent = (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(2)} %` : 'n/a');
const plusMs = formatSignedMs;

/** The one table printed at the end of a run and opening the report. */
export const headlineTable = (summary, settings) => {
  const rates = Object.keys(summary.latency);
  const header = ['subject', `throughput, req/s (${settings.throughput.connections} conns)`, 'CPU per request, ms', ...rates.map((rate) => `added p50 / p99 @ ${rate} req/s, ms`), 'added first byte p50, ms', 'failover success · upstream req/success', `peak RSS, ${settings.memory.streams} streams`];
  const rows = subjectNames.map((name) => {
    const throughput = summary.throughput[name];
    const failover = summary.failover[name];
    const memory = summary.memory[name];
    return [
      subjectLabels[name],
      `${Math.round(throughput.requestsPerSecond.median)} (${name === 'bare' ? '1.00' : throughput.ratioToBare.median.toFixed(2)}× bare)`,
      name === 'direct' ? '—' : `${throughput.cpuMsPerRequest.median.toFixed(3)} (${throughput.cpuRatioToBare.median.toFixed(2)}× bare)`,
      ...rates.map((rate) => (name === 'direct' ? `${formatMs(summary.latency[rate].direct.p50.median)} / ${formatMs(summary.latency[rate].direct.p99.median)} (absolute)` : `${plusMs(summary.latency[rate][name].addedP50.median)} / ${plusMs(summary.latency[rate][name].addedP99.median)}`)),
      name === 'direct' ? `${formatMs(summary.streaming.direct.firstByteP50.median)} (absolute)` : plusMs(summary.streaming[name].addedFirstByteP50.median),
      failover ? `${percent(failover.successRate.median)} · ${failover.upstreamRequestsPerSuccess.median.toFixed(3)}${name === 'direct' ? ' (no failover)' : ''}` : '—',
      memory ? `${mib(memory.peakRssMiB.median)} MiB (${memory.flowing}/${memory.count} flowing)` : '—',
    ];
  });
  return table(header, rows);
};

export const goalsTable = (goals) =>
  table(['goal', 'result', 'measured', 'target', 'margin'], goals.map((goal) => [goal.name, goal.met ? '**met**' : '**missed**', goal.value, goal.target, goal.margin]));

const latencySection = (summary) =>
  Object.entries(summary.latency)
    .map(([rate, bySubject]) => `### ${rate} req/s\n\n${table(
      ['subject', 'p50, ms', 'p99, ms', 'added p50, ms', 'added p99, ms', 'success', 'subject CPU per request, ms', 'generator lateness p99, ms'],
      subjectNames.map((name) => {
        const row = bySubject[name];
        return [subjectLabels[name], formatSpread(row.p50), formatSpread(row.p99), name === 'direct' ? '—' : formatSpread(row.addedP50), name === 'direct' ? '—' : formatSpread(row.addedP99), percent(row.successRate.median), name === 'direct' ? '—' : formatSpread(row.cpuMsPerRequest, (value) => value.toFixed(3)), formatSpread(row.generatorLatenessP99)];
      }),
    )}`)
    .join('\n\n');

const throughputSection = (summary) =>
  table(['subject', 'req/s', '× bare proxy', 'subject CPU per request, ms', 'CPU per request × bare', 'non-2xx + errors'], subjectNames.map((name) => {
    const row = summary.throughput[name];
    const cpu = name === 'direct' ? ['—', '—'] : [formatSpread(row.cpuMsPerRequest, (value) => value.toFixed(3)), formatSpread(row.cpuRatioToBare, (value) => value.toFixed(2))];
    return [subjectLabels[name], formatSpread(row.requestsPerSecond, (value) => String(Math.round(value))), formatSpread(row.ratioToBare, (value) => value.toFixed(2)), ...cpu, String(row.failures)];
  }));

const streamingSection = (summary) =>
  table(['subject', 'first byte p50, ms', 'added first byte p50, ms', 'added first byte p99, ms', 'added first token p50, ms', 'inter-chunk p50, ms', 'inter-chunk p99, ms', 'added inter-chunk p99, ms', 'chunks/stream'], subjectNames.map((name) => {
    const row = summary.streaming[name];
    const added = (value) => (name === 'direct' ? '—' : formatSpread(value));
    return [subjectLabels[name], formatSpread(row.firstByteP50), added(row.addedFirstByteP50), added(row.addedFirstByteP99), added(row.addedFirstContentP50), formatSpread(row.interChunkP50), formatSpread(row.interChunkP99), added(row.addedInterChunkP99), formatSpread(row.chunksPerStream, (value) => String(value))];
  }));

const failoverSection = (summary) =>
  table(['subject', 'success', 'upstream requests per success', 'p50, ms', 'p99, ms', 'answers (per repetition)'], Object.entries(summary.failover).map(([name, row]) => [
    subjectLabels[name], formatSpread(row.successRate, percent), formatSpread(row.upstreamRequestsPerSuccess, (value) => value.toFixed(3)), formatSpread(row.p50), formatSpread(row.p99),
    row.statuses.map((statuses) => Object.entries(statuses).map(([status, count]) => `${status}: ${count}`).join(', ')).join(' · '),
  ]));

const memorySection = (summary) =>
  table(['subject', 'RSS after warm-up, MiB', 'RSS with streams open, MiB', 'peak RSS (VmHWM), MiB', 'peak over bare (paired), MiB', 'per stream, KiB', 'streams flowing when sampled', 'failed'], Object.entries(summary.memory).map(([name, row]) => [
    subjectLabels[name], formatSpread(row.baselineRssMiB, mib), formatSpread(row.rssWithStreamsOpenMiB, mib), formatSpread(row.peakRssMiB, mib), name === 'bare' ? '—' : formatSpread(row.peakOverBareMiB, mib), formatSpread(row.perStreamKiB, mib), `${row.flowing}/${row.count}${row.allFlowingAfterMs === null ? ' (timed out waiting)' : ` (all within ${Math.round(row.allFlowingAfterMs)} ms)`}`, String(row.failed),
  ]));

const cutStreamLabels = { direct: 'direct to cut-main (no protection)', detour: 'Detour gateway', portkey: 'Portkey 1.15.2 (fallback)' };
const cutStreamsSection = (summary) =>
  table(['subject', 'received whole', 'visible error', 'silent truncation', 'text not a prefix of the answer', 'streams cut at cut-main', 'upstream requests per stream', 'p50 stream, ms'], Object.entries(summary.cutStreams.bySubject).map(([name, row]) => [
    cutStreamLabels[name] ?? name, formatSpread(row.whole, percent), formatSpread(row.visibleError, percent), formatSpread(row.silentTruncation, percent), `${row.notAPrefix} of ${row.streams}`, formatSpread(row.cutAtPrimary, percent), formatSpread(row.upstreamRequestsPerStream, (value) => value.toFixed(3)), formatSpread(row.p50),
  ]));

/** Observations the figures support, stated without tuning anything. */
const observations = (summary, settings) => {
  const notes = [];
  for (const [name, row] of Object.entries(summary.memory)) {
    if (row.flowing < row.count) notes.push(`- ${subjectLabels[name]}: only ${row.flowing} of ${row.count} concurrent streams had received a first byte after ${settings.memory.holdMs} ms; the rest were queued inside the proxy, so its peak RSS covers only the streams actually open.`);
  }
  const portkeyFirstByte = summary.streaming.portkey.addedFirstByteP50.median;
  if (portkeyFirstByte > 20) notes.push(`- Portkey's added first byte (+${formatMs(portkeyFirstByte)} ms) includes its fixed 25 ms sleep before the first chunk, a design constant of 1.15.2 (in its source, portkey-ai/gateway 1.15.2).`);
  for (const [rate, bySubject] of Object.entries(summary.latency)) {
    for (const name of subjectNames) if (bySubject[name].successRate.median < 1) notes.push(`- At ${rate} req/s, ${subjectLabels[name]} answered ${percent(bySubject[name].successRate.median)} of requests with a 2xx (the rest failed or were cut off after the drain limit).`);
  }
  return notes.length ? notes.join('\n') : '- None beyond the tables.';
};

export const markdownReport = ({ summary, goals, settings, machine, startedAt, elapsedMs, pinning }) => `# Detour benchmarks

Generated by \`pnpm bench${settings.mode === 'quick' ? ' --quick' : ''}\` on ${startedAt} in ${(elapsedMs / 1000).toFixed(0)} s (${settings.mode} mode, ${settings.repetitions} repetition${settings.repetitions > 1 ? 's' : ''}; method in [bench/README.md](../bench/README.md)).

**Machine:** ${machine.nproc} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}; Node ${machine.node}, pnpm ${machine.pnpm}; commit ${machine.gitCommit}${machine.gitDirty ? ' (with uncommitted changes)' : ''}.
**Pinning:** ${pinning}.
**Versions:** ${Object.entries(machine.packages).map(([name, version]) => `${name} ${version}`).join(', ')}.

**Noise.** This is a shared 2-core machine: other work ran on it at the same time, and the load generator shares a core with the upstream. Subjects were interleaved (rotated A, B, C, D within each repetition); figures are medians across repetitions with min–max in brackets, and "added" figures are paired with the direct run of the same repetition. Trust the ratios more than the absolute figures.

## Headline

${headlineTable(summary, settings)}

## Goals

${goalsTable(goals)}

## (a) Added latency at fixed rates (JSON completions, open-loop)

${settings.latency.durationMs / 1000} s per run after ${settings.latency.warmupMs / 1000} s of warm-up at the same rate; latency from handing the request to the client pool to the last body byte. "Generator lateness" is how late the generator issued requests against its schedule: when it is large, the machine itself was busy (other work on the host) and every subject's figures in that run suffer. Subject CPU per request comes from \`/proc/<pid>/stat\`. Outstanding requests are given ${settings.latency.drainMs / 1000} s after the run, then counted as failures.

${latencySection(summary)}

## (b) Maximum throughput (autocannon 9.0.0, ${settings.throughput.connections} connections)

${settings.throughput.durationMs / 1000} s per run after ${settings.throughput.warmupMs / 1000} s of warm-up.

${throughputSection(summary)}

## (c) Streaming (${settings.streaming.rate} streams/s, events 5 ms apart at the upstream)

First byte = first body byte of the SSE response; first token = first chunk with non-empty \`content\`; inter-chunk = gaps between body chunks as the client received them.

${streamingSection(summary)}

## (d) Failover (primary: 429 + Retry-After on ${Math.round(100 * 0.3)} % of requests, seeded; backup healthy; ${settings.failover.rate} req/s for ${settings.failover.durationMs / 1000} s)

Upstream requests are counted by the upstreams themselves. Detour: \`main\` priority 0, \`backup\` priority 1, default router settings. Portkey: \`strategy.mode: fallback\` over the same two targets, no retries. Direct: the primary only (no failover), for reference.

${failoverSection(summary)}

## (e) Memory with ${settings.memory.streams} concurrent open streams

Each proxy is started fresh, warmed with 1 s of streams at 100/s, then given ${settings.memory.streams} streams at once whose events are 600 ms apart (about 6 s each); ${settings.memory.repetitions} repetition${settings.memory.repetitions === 1 ? '' : 's'}, subjects interleaved, each on a fresh process. Peak RSS is \`VmHWM\` from \`/proc/<pid>/status\`; the peak over bare is paired within a repetition. Flowing and failed streams are the worst repetition's and the sum.

${memorySection(summary)}

## (f) Streams cut at random points (${Math.round(100 * summary.cutStreams.cutShare)} % of ${summary.cutStreams.tokens}-token streams on cut-main, seeded; continue-capable backup)

\`cut-main\` cuts a seeded ${Math.round(100 * summary.cutStreams.cutShare)} % of its streams after a uniformly drawn token (1–${summary.cutStreams.tokens - 1}; odd points a clean close without \`[DONE]\`, even ones a TCP reset); \`cut-backup\` answers the same deterministic text and continues a trailing assistant message (OpenRouter's rule). ${settings.cutStreams.count} streams per subject and repetition, ${settings.cutStreams.concurrency} at a time. *Whole* = exactly the answer's text, a \`finish_reason\` and \`[DONE]\`; *visible error* = an HTTP error, an error event or a failed body; *silent truncation* = a body that ended as if complete without the whole text. Detour: its own gateway, \`cut-main\` priority 0 and \`cut-backup\` priority 1${summary.cutStreams.continuation ? ' declared `continuation: "openrouter"`' : ' (this build has no mid-stream rescue: the figure is the pre-rescue one)'}, default router settings. Portkey: \`strategy.mode: fallback\` over the same two targets.

${cutStreamsSection(summary)}

## Observations

${observations(summary, settings)}
`;
