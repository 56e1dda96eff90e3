// Turns per-repetition results into the report's figures. "Added" figures are paired: within one repetition the
// subject's value minus the direct path's, so slow drift of the machine cancels; then median and min–max across
// repetitions.
import { spread } from '../summary-statistics.mjs';

const paired = (runs, name, pick, reference = 'direct') =>
  runs[name].map((run, index) => pick(run) - pick(runs[reference][index]));

export const summarize = ({ latency, throughput, streaming, failover, memory, cutStreams }) => {
  const subjects = Object.keys(throughput);
  const latencySummary = Object.fromEntries(
    Object.entries(latency).map(([rate, runs]) => [
      rate,
      Object.fromEntries(subjects.map((name) => [name, {
        p50: spread(runs[name].map((run) => run.latencyMs.p50)),
        p99: spread(runs[name].map((run) => run.latencyMs.p99)),
        addedP50: spread(paired(runs, name, (run) => run.latencyMs.p50)),
        addedP99: spread(paired(runs, name, (run) => run.latencyMs.p99)),
        successRate: spread(runs[name].map((run) => run.ok / run.sent)),
        cpuMsPerRequest: spread(runs[name].map((run) => run.subjectCpuMsPerRequest)),
        generatorLatenessP99: spread(runs[name].map((run) => run.schedulerLatenessMs.p99)),
      }])),
    ]),
  );
  const throughputSummary = Object.fromEntries(subjects.map((name) => [name, {
    requestsPerSecond: spread(throughput[name].map((run) => run.requestsPerSecond)),
    ratioToBare: spread(throughput[name].map((run, index) => run.requestsPerSecond / throughput.bare[index].requestsPerSecond)),
    failures: throughput[name].reduce((sum, run) => sum + run.non2xx + run.errors, 0),
    cpuMsPerRequest: spread(throughput[name].map((run) => run.subjectCpuMsPerRequest)),
    cpuRatioToBare: spread(throughput[name].map((run, index) => run.subjectCpuMsPerRequest / throughput.bare[index].subjectCpuMsPerRequest)),
  }]));
  const streamingSummary = Object.fromEntries(subjects.map((name) => [name, {
    firstByteP50: spread(streaming[name].map((run) => run.firstByteMs.p50)),
    addedFirstByteP50: spread(paired(streaming, name, (run) => run.firstByteMs.p50)),
    addedFirstByteP99: spread(paired(streaming, name, (run) => run.firstByteMs.p99)),
    addedFirstContentP50: spread(paired(streaming, name, (run) => run.firstContentMs.p50)),
    interChunkP50: spread(streaming[name].map((run) => run.interChunkMs.p50)),
    interChunkP99: spread(streaming[name].map((run) => run.interChunkMs.p99)),
    addedInterChunkP99: spread(paired(streaming, name, (run) => run.interChunkMs.p99)),
    chunksPerStream: spread(streaming[name].map((run) => run.chunksPerStream)),
    successRate: spread(streaming[name].map((run) => run.ok / run.sent)),
  }]));
  const failoverSummary = Object.fromEntries(Object.keys(failover).map((name) => [name, {
    successRate: spread(failover[name].map((run) => run.successRate)),
    upstreamRequestsPerSuccess: spread(failover[name].map((run) => run.upstreamRequestsPerSuccess)),
    p50: spread(failover[name].map((run) => run.latencyMs.p50)),
    p99: spread(failover[name].map((run) => run.latencyMs.p99)),
    statuses: failover[name].map((run) => run.statuses),
  }]));
  const share = (runs, field) => spread(runs.map((run) => run[field] / run.count));
  const cutStreamsSummary = {
    continuation: cutStreams.continuation,
    cutShare: cutStreams.cutShare,
    tokens: cutStreams.tokens,
    bySubject: Object.fromEntries(Object.entries(cutStreams.runs).map(([name, runs]) => [name, {
      whole: share(runs, 'whole'),
      visibleError: share(runs, 'visibleError'),
      silentTruncation: share(runs, 'silentTruncation'),
      notAPrefix: runs.reduce((sum, run) => sum + run.notAPrefix, 0),
      streams: runs.reduce((sum, run) => sum + run.count, 0),
      cutAtPrimary: share(runs, 'cutsAtPrimary'),
      upstreamRequestsPerStream: spread(runs.map((run) => run.upstreamRequests / run.count)),
      p50: spread(runs.map((run) => run.durationMs.p50)),
    }])),
  };
  // Every proxy starts fresh for each repetition; the peak over bare is paired within a repetition like the rest.
  const memorySummary = Object.fromEntries(Object.entries(memory).map(([name, runs]) => [name, {
    baselineRssMiB: spread(runs.map((run) => run.baselineRssMiB)),
    rssWithStreamsOpenMiB: spread(runs.map((run) => run.rssWithStreamsOpenMiB)),
    peakRssMiB: spread(runs.map((run) => run.peakRssMiB)),
    peakOverBareMiB: spread(paired(memory, name, (run) => run.peakRssMiB, 'bare')),
    perStreamKiB: spread(runs.map((run) => run.perStreamKiB)),
    count: runs[0]?.count,
    flowing: Math.min(...runs.map((run) => run.flowing)),
    allFlowingAfterMs: runs.some((run) => run.allFlowingAfterMs === null) ? null : Math.max(...runs.map((run) => run.allFlowingAfterMs)),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
  }]));
  return { latency: latencySummary, throughput: throughputSummary, streaming: streamingSummary, failover: failoverSummary, memory: memorySummary, cutStreams: cutStreamsSummary };
};
