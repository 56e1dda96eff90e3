// The goals, each judged on ratios or differences from the same run and marked met or missed with its
// margin. Nothing here is tuned: a missed goal stays missed in the report.
import { formatMs, formatSignedMs } from '../summary-statistics.mjs';

const goal = (name, met, value, target, margin) => ({ name, met, value, target, margin });

export const judgeGoals = (summary) => {
  const goals = [];
  // Issue 18 (the hot path): throughput, CPU, added latency and memory against the bare proxy of the same run.
  const ratio = summary.throughput.detour.ratioToBare.median;
  goals.push(goal('Throughput ≥ 0.85× the bare proxy', ratio >= 0.85, `${ratio.toFixed(2)}×`, '≥ 0.85×', `${(ratio - 0.85).toFixed(2)}×`));
  const cpu = summary.throughput.detour.cpuRatioToBare.median;
  goals.push(goal('CPU per request ≤ 1.3× the bare proxy', cpu <= 1.3, `${cpu.toFixed(2)}×`, '≤ 1.3×', `${(1.3 - cpu).toFixed(2)}×`));
  for (const [rate, bySubject] of Object.entries(summary.latency)) {
    const detourP99 = bySubject.detour.addedP99.median;
    const bareP99 = bySubject.bare.addedP99.median;
    const portkeyP99 = bySubject.portkey.addedP99.median;
    const overBare = detourP99 - bareP99;
    // At the low rate the gateway must be no worse than the bare proxy; at the high one within 2 ms of it.
    const allowed = Number(rate) >= 1000 ? 2 : 0;
    const label = allowed === 0 ? `Added p99 no worse than the bare proxy's (${rate} req/s)` : `Added p99 within ${allowed} ms of the bare proxy (${rate} req/s)`;
    goals.push(goal(label, overBare <= allowed, `${formatSignedMs(overBare)} ms over bare (Detour ${formatSignedMs(detourP99)}, bare ${formatSignedMs(bareP99)})`, `≤ +${allowed} ms`, `${formatMs(allowed - overBare)} ms`));
    const fifth = portkeyP99 / 5;
    goals.push(goal(`Added p99 ≤ one fifth of Portkey's (${rate} req/s)`, detourP99 <= fifth, `${formatSignedMs(detourP99)} ms vs Portkey ${formatSignedMs(portkeyP99)} ms (${(portkeyP99 / detourP99).toFixed(1)}× less)`, `≤ ${formatMs(fifth)} ms`, `${formatMs(fifth - detourP99)} ms`));
  }
  const firstByte = summary.streaming.detour.addedFirstByteP50.median - summary.streaming.bare.addedFirstByteP50.median;
  goals.push(goal('Added time to first byte (p50) within 0.3 ms of the bare proxy', firstByte <= 0.3, `${formatSignedMs(firstByte)} ms over bare`, '≤ +0.3 ms', `${formatMs(0.3 - firstByte)} ms`));
  const gap = summary.streaming.detour.addedInterChunkP99.median - summary.streaming.bare.addedInterChunkP99.median;
  goals.push(goal('Added inter-chunk p99 within 1 ms of the bare proxy', gap <= 1, `${formatSignedMs(gap)} ms over bare`, '≤ +1 ms', `${formatMs(1 - gap)} ms`));
  const memory = summary.memory.detour?.peakOverBareMiB.median;
  if (Number.isFinite(memory)) goals.push(goal('Open streams: peak RSS within 10 MiB of the bare proxy', memory <= 10, `${memory.toFixed(1)} MiB over bare`, '≤ +10 MiB', `${(10 - memory).toFixed(1)} MiB`));
  const success = summary.failover.detour.successRate.median;
  goals.push(goal('Failover: success ≥ 99.9 %', success >= 0.999, `${(100 * success).toFixed(2)} %`, '≥ 99.9 %', `${(100 * (success - 0.999)).toFixed(2)} points`));
  const perSuccess = summary.failover.detour.upstreamRequestsPerSuccess.median;
  goals.push(goal('Failover: ≤ 1.35 upstream requests per success', perSuccess <= 1.35, perSuccess.toFixed(3), '≤ 1.35', (1.35 - perSuccess).toFixed(3)));
  const whole = summary.cutStreams.bySubject.detour.whole.median;
  goals.push(goal('Cut streams (issue 16): ≥ 99 % received whole with a continue-capable backup', whole >= 0.99, `${(100 * whole).toFixed(1)} %`, '≥ 99 %', `${(100 * (whole - 0.99)).toFixed(1)} points`));
  return goals;
};
