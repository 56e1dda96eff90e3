import { escapeHtml, failedColor, faultBands, frame, legend, timeAxis, timeScale } from './svg.js';

const runColors = { Detour: '#2563eb', naive: '#d97706', 'naive+failover': '#7c3aed' };

/**
 * Latency of every request against the time it was sent, Detour and naive overlaid on one time axis (both runs
 * follow the same fault timeline from their own start). The y axis is logarithmic: a 40 ms answer and a 4 s retry
 * chain both need to be readable. Failed requests are red crosses.
 *
 * @param {{ runs: import('../run-record.js').RunRecord[], windows: import('../scenarios.js').FaultWindow[], endMs: number }} options
 */
export const latencyChart = ({ runs, windows, endMs }) => {
  const height = 300;
  const bottom = height - frame.bottom;
  const all = runs.flatMap((run) => run.samples.map((sample) => Math.max(1, sample.latencyMs)));
  const maxMs = Math.max(100, ...all);
  const minMs = 10;
  const y = (ms) => bottom - ((Math.log10(Math.max(minMs, ms)) - Math.log10(minMs)) / (Math.log10(maxMs) - Math.log10(minMs))) * (bottom - frame.top);
  const x = timeScale(endMs);
  const gridValues = [10, 30, 100, 300, 1000, 3000, 10_000, 30_000].filter((ms) => ms <= maxMs);
  const grid = gridValues
    .map((ms) => `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y(ms)}" y2="${y(ms)}" stroke="#e5e7eb"/><text x="${frame.left - 6}" y="${y(ms) + 4}" text-anchor="end">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`)
    .join('');
  let count = 0;
  const points = runs
    .flatMap((run) =>
      run.samples.map((sample) => {
        count += 1;
        const cx = x(sample.startedAt - run.startedAt).toFixed(1);
        const cy = y(sample.latencyMs).toFixed(1);
        const title = `<title>${escapeHtml(`${run.label} #${sample.index} ${sample.kind} via ${sample.via}: ${Math.round(sample.latencyMs)} ms, ${sample.ok ? `served by ${sample.endpoint ?? '?'}` : `failed (${sample.error})`}`)}</title>`;
        if (!sample.ok) return `<path data-point d="M${cx - 3},${cy - 3}l6,6m0,-6l-6,6" stroke="${failedColor}" stroke-width="1.5">${title}</path>`;
        return `<circle data-point cx="${cx}" cy="${cy}" r="2.2" fill="${runColors[run.label] ?? '#555'}" fill-opacity="0.55">${title}</circle>`;
      }),
    )
    .join('');
  return `<svg data-chart="latency" data-points="${count}" viewBox="0 0 ${frame.width} ${height}" role="img" aria-label="Latency of each request over time">
${faultBands(windows, endMs, frame.top, bottom)}${grid}${timeAxis(endMs, bottom)}${points}</svg>
${legend([...runs.map((run) => ({ color: runColors[run.label] ?? '#555', label: `${run.label}: answered` })), { color: failedColor, label: 'failed (×)' }, { color: '#f3f4f6', label: 'scripted fault windows' }])}`;
};
