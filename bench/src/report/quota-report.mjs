// Workload (g), quota: per-run figures from the load generator's records and the upstreams' own counters, the goals
// of issue 17 judged PASS/FAIL (nothing tuned to pass them), and the markdown section.
import { maxRefillMs, maxRetryAfterMs, quotaSettings } from '../settings.mjs';
import { formatMs, percentile } from '../summary-statistics.mjs';
import { quotaSubjectLabels } from '../workloads/quota.mjs';

const isOk = (record) => record.status >= 200 && record.status < 300;
const percent = (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : 'n/a');
const table = (header, rows) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
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
    // Requests neither served within their deadline nor refused fast with a usable Retry-After.
    deadlineViolations: measured.length - served.length - refusedFast.length,
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

export const summarizeQuota = (result, settings) => {
  const capacity = { total: result.capacity, byUpstream: result.weights };
  const runs = result.runs.map((run) => summarizeQuotaRun(run, { capacity, windowMs: settings.quota.durationMs, warmupMs: settings.quota.warmupMs }));
  return { ...result, runs, rawRuns: undefined };
};

const find = (summary, name, level) => summary.runs.find((run) => run.name === name && run.level === level);

/** Issue 17's goals for the admission-on subjects, PASS/FAIL with the measured value. */
export const judgeQuotaGoals = (summary) => {
  const goals = [];
  const levels = [...new Set(summary.runs.map((run) => run.level))];
  const low = Math.min(...levels);
  const high = Math.max(...levels);
  for (const name of ['detour-on', 'fleet-on'].filter((subject) => summary.subjects.includes(subject))) {
    const label = quotaSubjectLabels[name];
    if (summary.skipped[name]) {
      goals.push({ name: `${label}: all goals`, pass: false, value: `not run: ${summary.skipped[name]}`, target: '—' });
      continue;
    }
    const normal = find(summary, name, 0.8);
    if (normal) {
      goals.push({ name: `${label} @ 80 %: ≤ 1 upstream 429 per 1,000 requests${name === 'fleet-on' ? ' (combined)' : ''}`, pass: normal.upstream429sPer1000 <= 1, value: `${normal.upstream429sPer1000.toFixed(2)} (${normal.upstream429s} of ${normal.sent})`, target: '≤ 1' });
      goals.push({ name: `${label} @ 80 %: 0 client-visible errors`, pass: normal.clientErrors === 0, value: String(normal.clientErrors), target: '0' });
    }
    const over = find(summary, name, 1.5);
    if (over) {
      goals.push({ name: `${label} @ 150 %: goodput ≥ 95 % of capacity`, pass: over.goodput >= 0.95, value: percent(over.goodput), target: '≥ 95 %' });
      goals.push({ name: `${label} @ 150 %: every request served within its deadline or refused fast (≤ ${quotaSettings.fastRefusalMs} ms) with a correct Retry-After`, pass: over.deadlineViolations === 0, value: `${over.deadlineViolations} violations (late ${over.errors.late}, deadline ${over.errors.deadline}, slow refusals ${over.errors.refusedSlow}, fast but Retry-After missing or > ${maxRetryAfterMs() / 1000} s ${over.errors.refusedFastWrongRetryAfter}, network ${over.errors.network})`, target: '0' });
      const highWait = over.byPriority.high.waitP99;
      const lowWait = over.byPriority.low.waitP99;
      goals.push({ name: `${label} @ 150 %: high-priority p99 wait ≤ ⅕ of low-priority's`, pass: Number.isFinite(highWait) && Number.isFinite(lowWait) && highWait <= lowWait / 5, value: `high ${formatMs(highWait)} ms, low ${formatMs(lowWait)} ms`, target: `≤ ${formatMs(lowWait / 5)} ms` });
    }
    if (!normal && !over) goals.push({ name: `${label}: goals need the 80 % and 150 % levels`, pass: false, value: `levels run: ${levels.join(', ')} (low ${low}, high ${high})`, target: '—' });
  }
  return goals;
};

export const quotaGoalsTable = (goals) => table(['goal (issue 17)', 'result', 'measured', 'target'], goals.map((goal) => [goal.name, goal.pass ? '**PASS**' : '**FAIL**', goal.value, goal.target]));

const levelTable = (summary, level) =>
  table(
    ['subject', 'upstream 429s / 1,000', 'goodput, % of capacity', `served in window by ${quotaSettings.upstreams.map((upstream) => upstream.name).join(' / ')}`, 'client-visible errors', 'p50 / p99 latency, ms', 'wait p50 / p99 high, ms', 'wait p50 / p99 normal, ms', 'wait p50 / p99 low, ms', 'tokens estimated ÷ actual (mean)', 'refusals: Retry-After p50 / max, s', 'machine load (1 min)'],
    summary.runs
      .filter((run) => run.level === level)
      .map((run) => {
        const wait = (priority) => `${formatMs(run.byPriority[priority].waitP50)} / ${formatMs(run.byPriority[priority].waitP99)}`;
        const errors = run.clientErrors === 0 ? '0' : `${run.clientErrors} of ${run.measured} (${Object.entries(run.errors.statuses).map(([status, count]) => `${status}: ${count}`).concat(run.errors.deadline ? [`deadline: ${run.errors.deadline}`] : [], run.errors.late ? [`late: ${run.errors.late}`] : [], run.errors.network ? [`network: ${run.errors.network}`] : []).join(', ')})`;
        const ratio = (value) => (value === undefined ? 'n/a' : `×${value.toFixed(2)}`);
        const estimate = run.estimateError
          ? `prompt ${ratio(run.estimateError.input)}, total ${ratio(run.estimateError.total)}`
          : run.name === 'portkey' || run.name.endsWith('-off') ? '— (no estimate)' : 'not exported';
        const servedBy = quotaSettings.upstreams.map((upstream) => run.perUpstream[upstream.name].served).join(' / ');
        return [quotaSubjectLabels[run.name], `${run.upstream429sPer1000.toFixed(1)} (${run.upstream429s})`, percent(run.goodput), servedBy, errors, `${formatMs(run.latencyP50)} / ${formatMs(run.latencyP99)}`, wait('high'), wait('normal'), wait('low'), estimate, Number.isFinite(run.retryAfterMs.p50) ? `${run.retryAfterMs.p50 / 1000} / ${run.retryAfterMs.max / 1000}` : '—', run.loadAverage ? run.loadAverage.toFixed(2) : 'n/a'];
      }),
  );

export const quotaMarkdown = (summary, goals, settings, { commit, startedAt } = {}) => {
  const { upstreams, mix, priorities, deadlineMs, fastRefusalMs, latency, completionTokens, maxTokens, seed } = quotaSettings;
  const lines = [];
  lines.push('<!-- quota:start -->');
  lines.push(`## (g) Quota: three rate-limited upstreams at 80 %, 100 % and 150 % of their capacity (issue 17)`);
  lines.push('');
  if (commit) lines.push(`Measured on commit ${commit} at ${startedAt}${summary.redisVersion ? `, redis-server ${summary.redisVersion}` : ''}. One repetition (each run takes ${(settings.quota.warmupMs + settings.quota.durationMs) / 1000} s of load); machine load average in the last column: the 2 cores were shared with other work.`);
  lines.push('');
  lines.push(`Upstreams (testkit honest token-bucket limiter, starting empty, latency ${latency.type} ${latency.meanMs}±${latency.stdDevMs} ms, ${completionTokens}-token answers): ${upstreams.map((upstream) => `**${upstream.name}** ${upstream.rpm} RPM / ${upstream.tpm.toLocaleString('en')} TPM, ${upstream.headers === 'ietf' ? 'IETF `RateLimit`/`RateLimit-Policy` headers (problem+json 429, no Retry-After)' : 'OpenAI `x-ratelimit-*` headers'} → ${summary.weights[upstream.name].toFixed(1)} req/s`).join('; ')}. Aggregate capacity **${summary.capacity.toFixed(1)} req/s** at ${summary.meanTokensExpected.toFixed(0)} tokens per request (mean of the mix). Anthropic's headers are not in the mix: the workload is Chat Completions, the testkit speaks Anthropic's dialect only on \`/v1/messages\`, and Detour does not translate between APIs.`);
  lines.push('');
  lines.push(`Load: open-loop, evenly spaced (request *i* at *start + i / rate*), ${settings.quota.warmupMs / 1000} s warm-up then ${settings.quota.durationMs / 1000} s measured per run; prompts seeded (seed ${seed}) from ${mix.map((size) => `${Math.round(size.share * 100)} % ${size.name} (${size.minTokens}–${size.maxTokens} tokens)`).join(', ')}, \`max_tokens: ${maxTokens}\`; priorities (\`x-detour-priority\`) ${priorities.map((priority) => `${Math.round(priority.share * 100)} % ${priority.name}`).join(', ')}; every request has a ${deadlineMs / 1000} s deadline (the client aborts it ${quotaSettings.abortGraceMs} ms later; Detour's \`router.deadlineMs\` is the same ${deadlineMs} ms). Every run starts with fresh upstreams, fresh gateway processes and an empty Redis.`);
  lines.push('');
  lines.push(`Subjects: Detour with the three endpoints at priority 0, weighted by capacity, admission off (today's behaviour) and on; Portkey 1.15.2 with \`strategy.mode: loadbalance\` (same weights) over three \`fallback\` chains (on 429/5xx), each starting at a different upstream, no retries; two Detour gateways sharing one redis-server (\`store.redis\`), requests alternating between them, admission off and on.`);
  lines.push('');
  lines.push(`Definitions. *Upstream 429s* are counted by the upstreams over the whole run (warm-up included), per 1,000 client requests. *Goodput*: work completed inside the measured window by requests served within their deadline; per upstream the larger of its request and token shares of its budget for the window, weighted by the upstream's capacity (100 % = every bucket's refill used). *Client-visible errors*: measured requests not served within their deadline (any non-2xx, an abort at the deadline, a late answer). *Refused fast with a correct Retry-After* = a 429/503 within ${fastRefusalMs} ms carrying \`Retry-After\` or \`retry-after-ms\` between 0 and ${maxRetryAfterMs() / 1000} s: every upstream refills the largest request of the mix within ${Math.round(maxRefillMs())} ms, so a longer wait overstates when quota returns (whole seconds rounded up, plus one second of slack). Refusals' Retry-After p50 / max has its own column. *Wait*: for a served request, the gateway's queue-wait header when it sends one, otherwise its latency minus the answering upstream's \`openai-processing-ms\` (queueing, failed attempts, in-request sleeps and proxy overhead).`);
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
