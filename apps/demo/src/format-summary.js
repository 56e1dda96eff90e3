import { formatMs, formatPercent, formatUsd } from './format-figures.js';

/**
 * The closing comparison, one row per figure and one column per run, as the terminal prints it.
 *
 * @param {import('./summarize-run.js').RunSummary[]} summaries  Detour first, then the naive runs.
 * @returns {string}
 */
export const formatSummary = (summaries) => {
  const rows = [
    ['', ...summaries.map((summary) => summary.label)],
    ['requests', ...summaries.map((summary) => String(summary.requests))],
    ['succeeded', ...summaries.map((summary) => String(summary.succeeded))],
    ['success rate', ...summaries.map((summary) => formatPercent(summary.successRate))],
    ['upstream attempts / request', ...summaries.map((summary) => summary.attemptsPerRequest.toFixed(2))],
    ['failovers', ...summaries.map((summary) => (summary.failovers === undefined ? '–' : String(summary.failovers)))],
    ['latency p50', ...summaries.map((summary) => formatMs(summary.p50))],
    ['latency p95', ...summaries.map((summary) => formatMs(summary.p95))],
    ['latency p99', ...summaries.map((summary) => formatMs(summary.p99))],
    ['USD spent', ...summaries.map((summary) => formatUsd(summary.spentUsd))],
    ['USD wasted on failed attempts', ...summaries.map((summary) => formatUsd(summary.wastedUsd))],
    ['USD per successful request', ...summaries.map((summary) => (summary.usdPerSuccess === undefined ? '–' : formatUsd(summary.usdPerSuccess)))],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('   ');
  const rule = widths.map((width) => '─'.repeat(width)).join('───');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
};

/**
 * Failed requests by cause, one line per run that had any.
 *
 * @param {import('./summarize-run.js').RunSummary[]} summaries
 * @returns {string[]}
 */
export const formatErrors = (summaries) =>
  summaries
    .filter((summary) => Object.keys(summary.errors).length > 0)
    .map((summary) => `${summary.label} failures: ${Object.entries(summary.errors).sort((a, b) => b[1] - a[1]).map(([error, count]) => `${count} × ${error}`).join(', ')}`);
