// Workload (g), quota: per-run figures from the load generator's records and the upstreams' own counters, the goals
// of issue 17 judged PASS/FAIL (nothing tuned to pass them), and the markdown section.
import { maxRefillMs, maxRetryAfterMs, quotaSettings } from '../settings.mjs';
import { formatMs, formatSpread, percentile, spread } from '../summary-statistics.mjs';
import { quotaSubjectLabels } from '../workloads/quota.mjs';
import { markdownTable as table } from './markdown-table.mjs';

const isOk = (record) => record.status >= 200 && record.status < 300;
const percent = (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : 'n/a');
const PRIORITIES = ['high', 'normal', 'low'];

/** The time a served request spent outside the upstream that answered it: queueing, failed attempts, waits, overhead. */
const waitOf = (record) => (record.queueMs !== undefined ? record.queueMs : record.upstreamMs !== undefined ? Math.max(0, record.latencyMs - record.upstreamMs) : undefined);

/**
 * Estimate ÷ reported tokens from the gateway's `detour_token_estimate_ratio` histogram (summed over its endpoints,
 * and over both gateways of a fleet): the mean ratio for prompt tokens and for the whole request, when exported.
 */
const estimateError = (metrics) => {
  const total = (series, kind) =>
    metrics
      .filter((line) => line.startsWith(`detour_token_estimate_ratio_${series}{`) && line.includes(`kind="${kind}"`))
      .reduce((sum, line) => sum + Number(line.trim().split(/\s+/).pop()), 0);
  const mean = (kind) => (total('count', kind) > 0 ? total('sum', kind) / total('count', kind) : undefined);
  const input = mean('input');
  const whole = mean('total');
  return whole === undefined && input === undefined ? undefined : { input, total: whole, count: total('count', 'total') };
};

/** A counter's (or histogram count's) growth over the measured load, summed over series matching `labels` and over a fleet's gateways. */
const counterGrowth = (run, name, labels) => {
  const total = (lines) =>
    lines
      .filter((line) => line.startsWith(`${name}{`) && labels.every((label) => line.includes(label)))
      .reduce((sum, line) => sum + Number(line.trim().split(/\s+/).pop()), 0);
  return total(run.metrics ?? []) - total(run.metricsBefore ?? []);
};

export const summarizeQuotaRun = (run, { capacity, windowMs, warmupMs }) => {
  const { records } = run.load;
  const { deadlineMs, fastRefusalMs } = quotaSettings;
  const retryAfterLimitMs = maxRetryAfterMs();
  const upstream429s = Object.values(run.upstream).reduce((sum, stats) => sum + (stats.byOutcome['rate-limit'] ?? 0), 0);
  const upstreamRequests = Object.values(run.upstream).reduce((sum, stats) => sum + stats.total, 0);
  const servedInTime = (record) => isOk(record) && record.latencyMs <= deadlineMs;

  // Goodput: work completed inside the measured window by requests served within their deadline, per upstream as
  // the larger of its request and token shares of that upstream's budget, weighted by the upstream's capacity.
  const windowEnd = warmupMs + windowMs;
  const completedInWindow = records.filter((record) => servedInTime(record) && record.at + record.latencyMs >= warmupMs && record.at + record.latencyMs < windowEnd);
  const seconds = windowMs / 1000;
  let weighted = 0;
  const perUpstream = {};
  for (const upstream of quotaSettings.upstreams) {
    const served = completedInWindow.filter((record) => record.servedBy === upstream.name);
    const tokens = served.reduce((sum, record) => sum + (record.usage ?? 0), 0);
    const utilisation = Math.max(served.length / ((upstream.rpm / 60) * seconds), tokens / ((upstream.tpm / 60) * seconds));
    perUpstream[upstream.name] = { served: served.length, tokens, utilisation };
    weighted += utilisation * capacity.byUpstream[upstream.name];
  }

  const measured = records.filter((record) => record.measured);
  const served = measured.filter(servedInTime);
  const late = measured.filter((record) => isOk(record) && record.latencyMs > deadlineMs);
  const refusals = measured.filter((record) => record.status !== undefined && !isOk(record));
  const correctRetryAfter = (record) => record.retryAfterMs !== undefined && record.retryAfterMs >= 0 && record.retryAfterMs <= retryAfterLimitMs;
  const refusedFast = refusals.filter((record) => record.latencyMs <= fastRefusalMs && correctRetryAfter(record));
  const refusedFastNoRetryAfter = refusals.filter((record) => record.latencyMs <= fastRefusalMs && !correctRetryAfter(record));
  const refusedSlow = refusals.filter((record) => record.latencyMs > fastRefusalMs);
  const deadline = measured.filter((record) => record.error === 'deadline');
  const network = measured.filter((record) => record.error !== undefined && record.error !== 'deadline');
  // The fast-refusal goal looks at every request of the load (warm-up included), since the gateway's counters
  // (read before and after it) cannot be split at the warm-up's end. A refusal is fast when it comes within
  // fastRefusalMs of the request, or when it is one of the gateway's queue dismissals on a hopeless plan (counted by
  // `detour_admissions_refused_total{reason="hopeless"}`): such a request is let go within the queue's review
  // interval of its plan passing its deadline, never held to the deadline. Every refusal needs a correct Retry-After.
  const everyRefusal = records.filter((record) => record.status !== undefined && !isOk(record));
  const hopeless = counterGrowth(run, 'detour_admissions_refused_total', ['reason="hopeless"']);
  const queueTimeouts = counterGrowth(run, 'detour_queue_wait_seconds_count', ['exit="timeout"']);
  const fastCorrect = everyRefusal.filter((record) => record.latencyMs <= fastRefusalMs && correctRetryAfter(record)).length;
  const slowCorrect = everyRefusal.filter((record) => record.latencyMs > fastRefusalMs && record.latencyMs <= deadlineMs && correctRetryAfter(record));
  const dismissed = Math.min(slowCorrect.length, hopeless);
  const allServed = records.filter(servedInTime).length;
  const statuses = {};
  for (const record of refusals) statuses[`${record.status}${record.code ? ` ${record.code}` : ''}`] = (statuses[`${record.status}${record.code ? ` ${record.code}` : ''}`] ?? 0) + 1;

  const okLatency = measured.filter(isOk).map((record) => record.latencyMs);
  const byPriority = {};
  for (const priority of PRIORITIES) {
    const mine = measured.filter((record) => record.priority === priority);
    const waits = mine.filter(isOk).map(waitOf).filter((value) => value !== undefined);
    byPriority[priority] = {
      sent: mine.length,
      servedInTime: mine.filter(servedInTime).length,
      waitP50: percentile(waits, 50),
      waitP99: percentile(waits, 99),
      latencyP99: percentile(mine.filter(isOk).map((record) => record.latencyMs), 99),
    };
  }
  return {
    name: run.name,
    level: run.level,
    rate: run.rate,
    sent: records.length,
    measured: measured.length,
    upstream429s,
    upstreamRequests,
    upstream429sPer1000: (1000 * upstream429s) / records.length,
    goodput: weighted / capacity.total,
    perUpstream,
    servedInTime: served.length,
    clientErrors: measured.length - served.length,
    errors: { late: late.length, refusedFast: refusedFast.length, refusedFastWrongRetryAfter: refusedFastNoRetryAfter.length, refusedSlow: refusedSlow.length, deadline: deadline.length, network: network.length, statuses },
    // Requests (of the whole load) neither served within their deadline nor refused fast with a usable Retry-After.
    deadlineViolations: records.length - allServed - fastCorrect - dismissed,
    dismissals: { hopeless, queueTimeouts, slowRefusals: slowCorrect.length, refusalMsP50: percentile(slowCorrect.map((record) => record.latencyMs), 50), refusalMsP99: percentile(slowCorrect.map((record) => record.latencyMs), 99) },
    retryAfterMs: { p50: percentile(refusals.map((record) => record.retryAfterMs).filter((value) => value !== undefined), 50), max: Math.max(...refusals.map((record) => record.retryAfterMs ?? 0), 0) },
    latencyP50: percentile(okLatency, 50),
    latencyP99: percentile(okLatency, 99),
    byPriority,
    waitSource: measured.some((record) => record.queueMs !== undefined) ? 'gateway queue-wait header' : 'latency − upstream processing',
    estimateError: estimateError(run.metrics ?? []),
    metrics: run.metrics ?? [],
    schedulerLatenessP99Ms: run.load.schedulerLatenessP99Ms,
    loadAverage: run.loadAverage,
  };
};

/** Figures given as median (min–max) over repetitions, by path into a run's summary. */
const spreadFigures = {
  upstream429sPer1000: (run) => run.upstream429sPer1000,
  upstream429s: (run) => run.upstream429s,
  goodput: (run) => run.goodput,
  clientErrors: (run) => run.clientErrors,
  deadlineViolations: (run) => run.deadlineViolations,
  latencyP50: (run) => run.latencyP50,
  latencyP99: (run) => run.latencyP99,
  retryAfterP50: (run) => run.retryAfterMs.p50,
  retryAfterMax: (run) => run.retryAfterMs.max,
  loadAverage: (run) => run.loadAverage,
  hopeless: (run) => run.dismissals.hopeless,
  ...Object.fromEntries(PRIORITIES.flatMap((priority) => [
    [`waitP50.${priority}`, (run) => run.byPriority[priority].waitP50],
    [`waitP99.${priority}`, (run) => run.byPriority[priority].waitP99],
  ])),
  ...Object.fromEntries(quotaSettings.upstreams.map((upstream) => [`served.${upstream.name}`, (run) => run.perUpstream[upstream.name].served])),
};

/** One subject at one level over its repetitions: every figure's spread, and each repetition's own summary. */
const aggregate = (repetitions) => {
  const first = repetitions[0];
  const figures = Object.fromEntries(Object.entries(spreadFigures).map(([key, read]) => [key, spread(repetitions.map(read))]));
  const statuses = {};
  for (const run of repetitions) for (const [status, count] of Object.entries(run.errors.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  const estimates = repetitions.map((run) => run.estimateError).filter(Boolean);
  return {
    name: first.name,
    level: first.level,
    rate: first.rate,
    n: repetitions.length,
    figures,
    statusesTotal: statuses,
    sentTotal: repetitions.reduce((sum, run) => sum + run.sent, 0),
    measuredTotal: repetitions.reduce((sum, run) => sum + run.measured, 0),
    estimate: estimates.length === 0 ? undefined : { input: spread(estimates.map((value) => value.input)), total: spread(estimates.map((value) => value.total)) },
    waitSource: first.waitSource,
    repetitions,
  };
};

export const summarizeQuota = (result, settings) => {
  const capacity = { total: result.capacity, byUpstream: result.weights };
  const perRun = result.runs.map((run) => ({ ...summarizeQuotaRun(run, { capacity, windowMs: settings.quota.durationMs, warmupMs: settings.quota.warmupMs }), repetition: run.repetition ?? 0 }));
  const groups = new Map();
  for (const run of perRun) {
    const key = `${run.name}@${run.level}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(run);
  }
  return { ...result, runs: [...groups.values()].map(aggregate), repetitions: settings.quota.repetitions ?? 1, rawRuns: undefined };
};

const find = (summary, name, level) => summary.runs.find((run) => run.name === name && run.level === level);

/**
 * A goal judged on the median over repetitions (PASS/FAIL), with how many single repetitions met it: `read` takes
 * a run's summary, `meets` the value.
 */
const goal = (name, runGroup, read, meets, format, target) => {
  const values = runGroup.repetitions.map(read);
  const median = spread(values).median;
  const met = values.filter(meets).length;
  const shown = runGroup.n > 1 ? `${format(median)} median (${values.map(format).join(', ')}; ${met}/${runGroup.n} repetitions meet it)` : format(median);
  return { name, pass: meets(median), value: shown, target };
};

/** Issue 17's goals for the admission-on subjects, PASS/FAIL on the median with each repetition's value. */
export const judgeQuotaGoals = (summary) => {
  const goals = [];
  const levels = [...new Set(summary.runs.map((run) => run.level))];
  for (const name of ['detour-on', 'fleet-on'].filter((subject) => summary.subjects.includes(subject))) {
    const label = quotaSubjectLabels[name];
    if (summary.skipped[name]) {
      goals.push({ name: `${label}: all goals`, pass: false, value: `not run: ${summary.skipped[name]}`, target: '—' });
      continue;
    }
    const count = (value) => String(value);
    const normal = find(summary, name, 0.8);
    if (normal) {
      goals.push(goal(`${label} @ 80 %: ≤ 1 upstream 429 per 1,000 requests${name === 'fleet-on' ? ' (both gateways combined)' : ''}`, normal, (run) => run.upstream429sPer1000, (value) => value <= 1, (value) => value.toFixed(2), '≤ 1'));
      goals.push(goal(`${label} @ 80 %: 0 client-visible errors`, normal, (run) => run.clientErrors, (value) => value === 0, count, '0'));
    }
    const over = find(summary, name, 1.5);
    if (over) {
      goals.push(goal(`${label} @ 150 %: goodput ≥ 95 % of capacity`, over, (run) => run.goodput, (value) => value >= 0.95, percent, '≥ 95 %'));
      goals.push(goal(`${label} @ 150 %: every request served within its deadline or refused fast with a correct Retry-After`, over, (run) => run.deadlineViolations, (value) => value === 0, count, '0 violations'));
      goals.push(goal(`${label} @ 150 %: high-priority p99 wait ≤ ⅕ of low-priority's`, over, (run) => run.byPriority.high.waitP99 / run.byPriority.low.waitP99, (value) => Number.isFinite(value) && value <= 0.2, (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(0)} % of low's` : 'n/a'), '≤ 20 % of low\'s'));
    }
    if (!normal && !over) goals.push({ name: `${label}: goals need the 80 % and 150 % levels`, pass: false, value: `levels run: ${levels.join(', ')}`, target: '—' });
  }
  return goals;
};

export const quotaGoalsTable = (goals) => table(['goal (issue 17)', 'result', 'measured', 'target'], goals.map((goal) => [goal.name, goal.pass ? '**PASS**' : '**FAIL**', goal.value, goal.target]));

const levelTable = (summary, level) =>
  table(
    ['subject', 'upstream 429s / 1,000', 'goodput, % of capacity', `served in window by ${quotaSettings.upstreams.map((upstream) => upstream.name).join(' / ')}`, 'client-visible errors (per run)', 'refusals, all runs', 'fast-refusal violations (per run)', 'queue dismissals (hopeless) / slow refusals p50 / p99 ms', 'p50 / p99 latency, ms', 'wait p99 high / normal / low, ms', 'tokens estimated ÷ actual (mean)', 'refusals: Retry-After p50 / max, s', 'machine load (1 min)'],
    summary.runs
      .filter((run) => run.level === level)
      .map((run) => {
        const f = run.figures;
        const whole = (value) => (Number.isFinite(value) ? value.toFixed(0) : 'n/a');
        const seconds = (value) => (Number.isFinite(value) ? (value / 1000).toFixed(1) : '—');
        const statuses = Object.entries(run.statusesTotal).map(([status, count]) => `${status}: ${count}`).join(', ') || '—';
        const ratio = (value) => (Number.isFinite(value.median) ? formatSpread(value, (number) => `×${number.toFixed(2)}`) : 'n/a');
        const estimate = run.estimate ? `prompt ${ratio(run.estimate.input)}, total ${ratio(run.estimate.total)}` : run.name === 'portkey' || run.name.endsWith('-off') ? '— (no estimate)' : 'not exported';
        const servedBy = quotaSettings.upstreams.map((upstream) => formatSpread(f[`served.${upstream.name}`], whole)).join(' / ');
        const dismissals = run.repetitions.map((one) => one.dismissals);
        const slow = (key) => formatMs(spread(dismissals.map((one) => one[key])).median);
        return [
          quotaSubjectLabels[run.name],
          formatSpread(f.upstream429sPer1000, (value) => value.toFixed(1)),
          formatSpread(f.goodput, percent),
          servedBy,
          formatSpread(f.clientErrors, whole),
          statuses,
          formatSpread(f.deadlineViolations, whole),
          `${formatSpread(f.hopeless, whole)} / ${slow('refusalMsP50')} / ${slow('refusalMsP99')}`,
          `${formatSpread(f.latencyP50)} / ${formatSpread(f.latencyP99)}`,
          PRIORITIES.map((priority) => formatSpread(f[`waitP99.${priority}`])).join(' / '),
          estimate,
          `${formatSpread(f.retryAfterP50, seconds)} / ${formatSpread(f.retryAfterMax, seconds)}`,
          formatSpread(f.loadAverage, (value) => value.toFixed(2)),
        ];
      }),
  );

export const quotaMarkdown = (summary, goals, settings, { commit, startedAt } = {}) => {
  const { upstreams, mix, priorities, deadlineMs, fastRefusalMs, latency, completionTokens, maxTokens, seed } = quotaSettings;
  const lines = [];
  lines.push('<!-- quota:start -->');
  lines.push(`## (g) Quota: three rate-limited upstreams at 80 %, 100 % and 150 % of their capacity (issue 17)`);
  lines.push('');
  if (commit) lines.push(`Measured on commit ${commit} at ${startedAt}${summary.redisVersion ? `, redis-server ${summary.redisVersion}` : ''}. ${summary.repetitions === 1 ? 'One repetition' : `${summary.repetitions} repetitions, interleaved (every subject at every level, then again, in rotated orders)${(settings.quota.onceLevels ?? []).length > 0 ? `, except at ${settings.quota.onceLevels.map((level) => `${Math.round(level * 100)} %`).join(', ')} (no goal is judged there: one run)` : ''}; figures are the median with min–max, goals judged on the median with every repetition's value shown`} (each run takes ${(settings.quota.warmupMs + settings.quota.durationMs) / 1000} s of load); machine load average in the last column: the 2 cores were shared with other work.`);
  lines.push('');
  lines.push(`Upstreams (testkit honest token-bucket limiter, starting empty, latency ${latency.type} ${latency.meanMs}±${latency.stdDevMs} ms, ${completionTokens}-token answers): ${upstreams.map((upstream) => `**${upstream.name}** ${upstream.rpm} RPM / ${upstream.tpm.toLocaleString('en')} TPM, ${upstream.headers === 'ietf' ? 'IETF `RateLimit`/`RateLimit-Policy` headers (problem+json 429, no Retry-After)' : 'OpenAI `x-ratelimit-*` headers'} → ${summary.weights[upstream.name].toFixed(1)} req/s`).join('; ')}. Aggregate capacity **${summary.capacity.toFixed(1)} req/s** at ${summary.meanTokensExpected.toFixed(0)} tokens per request (mean of the mix). Anthropic's headers are not in the mix: the workload is Chat Completions, the testkit speaks Anthropic's dialect only on \`/v1/messages\`, and Detour does not translate between APIs.`);
  lines.push('');
  lines.push(`Load: open-loop, evenly spaced (request *i* at *start + i / rate*), ${settings.quota.warmupMs / 1000} s warm-up then ${settings.quota.durationMs / 1000} s measured per run; prompts seeded (seed ${seed}) from ${mix.map((size) => `${Math.round(size.share * 100)} % ${size.name} (${size.minTokens}–${size.maxTokens} tokens)`).join(', ')}, \`max_tokens: ${maxTokens}\`; priorities (\`x-detour-priority\`) ${priorities.map((priority) => `${Math.round(priority.share * 100)} % ${priority.name}`).join(', ')}; every request has a ${deadlineMs / 1000} s deadline (the client aborts it ${quotaSettings.abortGraceMs} ms later; Detour's \`router.deadlineMs\` is the same ${deadlineMs} ms). Every run starts with fresh upstreams, fresh gateway processes and an empty Redis.`);
  lines.push('');
  lines.push(`Subjects: Detour with the three endpoints at priority 0, weighted by capacity, admission off (today's behaviour) and on; Portkey 1.15.2 with \`strategy.mode: loadbalance\` (same weights) over three \`fallback\` chains (on 429/5xx), each starting at a different upstream, no retries; two Detour gateways sharing one redis-server (\`store.redis\`), requests alternating between them, admission off and on.`);
  lines.push('');
  lines.push(`Definitions. *Upstream 429s* are counted by the upstreams over the whole run (warm-up included), per 1,000 client requests. *Goodput*: work completed inside the measured window by requests served within their deadline; per upstream the larger of its request and token shares of its budget for the window, weighted by the upstream's capacity (100 % = every bucket's refill used). *Client-visible errors*: measured requests not served within their deadline (any non-2xx, an abort at the deadline, a late answer). *Refused fast with a correct Retry-After* (judged over every request of the run, warm-up included): a 429/503 carrying \`Retry-After\` or \`retry-after-ms\` between 0 and ${maxRetryAfterMs() / 1000} s that either came within ${fastRefusalMs} ms of the request (refused on arrival) or is one of the gateway's queue dismissals: a queued request whose plan turned hopeless (the work ahead of it would take its quota past its deadline) is let go within the queue's review interval (20 ms) of that plan, not held to its deadline; the gateway counts these in \`detour_admissions_refused_total{reason="hopeless"}\` (read before and after the load), and only as many slow refusals as it counted are excused. The Retry-After bound: the queue holds only work it plans to admit within the ${deadlineMs / 1000} s deadline and every upstream refills the largest request of the mix within ${Math.round(maxRefillMs())} ms, so quota for a refused request is there within ${(deadlineMs + maxRefillMs()) / 1000} s (whole seconds rounded up, plus one second of slack); longer overstates it. Refusals' Retry-After p50 / max has its own column. *Wait*: for a served request, the gateway's queue-wait header when it sends one, otherwise its latency minus the answering upstream's \`openai-processing-ms\` (queueing, failed attempts, in-request sleeps and proxy overhead).`);
  lines.push('');
  for (const [name, reason] of Object.entries(summary.skipped)) lines.push(`- **${quotaSubjectLabels[name]}: not run.** ${reason}.`);
  if (Object.keys(summary.skipped).length > 0) lines.push('');
  lines.push('### Goals');
  lines.push('');
  lines.push(quotaGoalsTable(goals));
  lines.push('');
  for (const level of [...new Set(summary.runs.map((run) => run.level))]) {
    const rate = summary.runs.find((run) => run.level === level).rate;
    lines.push(`### ${Math.round(level * 100)} % of capacity (${rate.toFixed(1)} req/s)`);
    lines.push('');
    lines.push(levelTable(summary, level));
    lines.push('');
  }
  const waitSources = [...new Set(summary.runs.map((run) => `${quotaSubjectLabels[run.name]}: ${run.waitSource}`))];
  lines.push(`Wait measured as: ${waitSources.join('; ')}.`);
  lines.push('<!-- quota:end -->');
  return lines.join('\n');
};
