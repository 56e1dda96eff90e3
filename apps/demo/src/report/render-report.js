import { formatMs, formatPercent, formatUsd } from '../format-figures.js';
import { latencyChart } from './latency-chart.js';
import { escapeHtml } from './svg.js';
import { timelineChart } from './timeline-chart.js';
import { trafficChart } from './traffic-chart.js';

const styles = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1000px; color: #111827; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; } th, td { padding: .25rem .75rem; border-bottom: 1px solid #e5e7eb; text-align: right; }
th:first-child, td:first-child { text-align: left; }
svg { width: 100%; height: auto; font-size: 11px; fill: #374151; } svg text.row { font-size: 10px; }
.legend span { margin-right: 1rem; white-space: nowrap; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; border: 1px solid #d1d5db; }
.muted { color: #6b7280; } dt { font-weight: 600; } dd { margin: 0 0 .5rem 1rem; }`;

const summaryRows = (summaries) => {
  const row = (label, format) => `<tr><td>${escapeHtml(label)}</td>${summaries.map((summary) => `<td>${escapeHtml(format(summary))}</td>`).join('')}</tr>`;
  return [
    row('requests', (summary) => String(summary.requests)),
    row('succeeded', (summary) => String(summary.succeeded)),
    row('success rate', (summary) => formatPercent(summary.successRate)),
    row('upstream attempts / request', (summary) => summary.attemptsPerRequest.toFixed(2)),
    row('failovers', (summary) => (summary.failovers === undefined ? '–' : String(summary.failovers))),
    row('latency p50', (summary) => formatMs(summary.p50)),
    row('latency p95', (summary) => formatMs(summary.p95)),
    row('latency p99', (summary) => formatMs(summary.p99)),
    row('USD spent', (summary) => formatUsd(summary.spentUsd)),
    row('USD wasted on failed attempts', (summary) => formatUsd(summary.wastedUsd)),
    row('USD per successful request', (summary) => (summary.usdPerSuccess === undefined ? '–' : formatUsd(summary.usdPerSuccess))),
  ].join('\n');
};

const outcomeList = (record) =>
  Object.entries(record.upstreamOutcomes).map(([outcome, count]) => `${escapeHtml(outcome)} ${count}`).join(' · ') || 'none';

/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no network), so it opens in any
 * browser offline and can be attached to an issue as it is.
 *
 * @param {import('../run-demo.js').DemoResult & { scenario: import('../scenarios.js').Scenario, durationSeconds: number, rate: number }} result
 * @returns {string}
 */
export const renderReport = ({ detour, naive, naiveFailover, summaries, windows, upstreams, scenario, durationSeconds, rate }) => {
  const runs = [detour, naive, naiveFailover].filter(Boolean);
  const endMs = Math.max(
    durationSeconds * 1000,
    ...runs.flatMap((run) => run.samples.map((sample) => sample.startedAt - run.startedAt)),
  );
  const errors = summaries
    .filter((summary) => Object.keys(summary.errors).length > 0)
    .map((summary) => `<li>${escapeHtml(summary.label)}: ${Object.entries(summary.errors).map(([error, count]) => `${count} × ${escapeHtml(error)}`).join(', ')}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Detour demo report: ${escapeHtml(scenario.name)}</title><style>${styles}</style></head>
<body>
<h1>Detour under fire: scenario “${escapeHtml(scenario.name)}”</h1>
<p class="muted">${escapeHtml(scenario.description)}. ${runs.length} runs of ${durationSeconds} s at ${rate} requests/s, open loop, written ${escapeHtml(new Date().toISOString())}.
Detour must succeed on at least ${formatPercent(scenario.minimumSuccessRate)} of requests.</p>

<h2>Detour against naive retries</h2>
<table data-summary><thead><tr><th></th>${summaries.map((summary) => `<th>${escapeHtml(summary.label)}</th>`).join('')}</tr></thead>
<tbody>${summaryRows(summaries)}</tbody></table>
${errors ? `<p>Failed requests:</p><ul>${errors}</ul>` : '<p>No request failed in any run.</p>'}

<h2>Latency of each request</h2>
${latencyChart({ runs, windows, endMs })}

<h2>Share of Detour's traffic per endpoint, per second</h2>
${trafficChart({ run: detour, upstreams, windows, endMs })}

<h2>Breakers and cooldowns during the Detour run</h2>
${timelineChart({ run: detour, upstreams, windows, endMs })}

<h2>What the figures mean</h2>
<dl>
<dt>Detour</dt><dd>The official openai SDK with <code>maxRetries: 0</code>, half of the requests through the Detour gateway on Node, half through <code>@detour/node</code>'s <code>createFetch</code>; both route over the same three upstreams (${upstreams.map(escapeHtml).join(', ')}, in priority order), each keeping its own breakers and cooldowns. Half of all requests are streamed.</dd>
<dt>naive</dt><dd>The same load and the same fault timeline, sent with the SDK's default retries (<code>maxRetries: 2</code>, which honours Retry-After) to the primary alone.</dd>
<dt>naive+failover</dt><dd>What a careful team writes by hand: the same SDK and retries, one client per upstream, and a request that still fails is sent to the next upstream in priority order. Its latency is the whole chain's.</dd>
<dt>upstream attempts / request</dt><dd>Requests the upstreams received, divided by requests sent. Detour: ${escapeHtml(outcomeList(detour))}. Naive: ${escapeHtml(outcomeList(naive))}.${naiveFailover ? ` Naive+failover: ${escapeHtml(outcomeList(naiveFailover))}.` : ''}</dd>
<dt>latency</dt><dd>Until the whole answer was read (the last chunk of a stream), over every request, failed ones included.</dd>
<dt>USD spent</dt><dd>List prices from <code>@detour/core</code>'s price table for the usage each answer reported. Detour: the sum of its <code>cost-record</code> events. Naive: priced from each answer's usage.</dd>
<dt>USD per successful request</dt><dd>USD spent divided by requests that succeeded: what an answer the caller could use cost.</dd>
<dt>USD wasted</dt><dd>Attempts the provider billed whose result the caller never got: answers cut off after a 200. Detour reports them as <code>cost-record</code> events with outcome <code>failed</code> (and then fails over); for the naive run they are the primary's cut answers, priced by the same rule Detour uses (input tokens estimated as request bytes / 4, lost output not counted), so both are lower bounds. 429s and 500s are not billed and so not counted, though they cost time.</dd>
</dl>
</body></html>
`;
};
