import { endpointColors, escapeHtml, failedColor, faultBands, frame, legend, timeAxis, timeScale } from './svg.js';

/**
 * Share of Detour's requests each endpoint served, per second of the run (by when the request was sent), as
 * stacked bars; failed requests stack on top in red.
 *
 * @param {{ run: import('../run-record.js').RunRecord, upstreams: string[], windows: import('../scenarios.js').FaultWindow[], endMs: number }} options
 */
export const trafficChart = ({ run, upstreams, windows, endMs }) => {
  const height = 220;
  const bottom = height - frame.bottom;
  const x = timeScale(endMs);
  const bucketMs = 1000;
  const buckets = new Map();
  for (const sample of run.samples) {
    const bucket = Math.floor((sample.startedAt - run.startedAt) / bucketMs);
    const counts = buckets.get(bucket) ?? {};
    const key = sample.ok ? (sample.endpoint ?? 'unknown') : 'failed';
    counts[key] = (counts[key] ?? 0) + 1;
    buckets.set(bucket, counts);
  }
  const series = [...upstreams, 'failed'];
  const colorOf = (key) => (key === 'failed' ? failedColor : (endpointColors[upstreams.indexOf(key)] ?? '#555'));
  let count = 0;
  const bars = [...buckets.entries()]
    .map(([bucket, counts]) => {
      const total = Object.values(counts).reduce((sum, value) => sum + value, 0);
      const left = x(bucket * bucketMs);
      const width = Math.max(1, x((bucket + 1) * bucketMs) - left - 1);
      let top = bottom;
      return series
        .filter((key) => counts[key])
        .map((key) => {
          count += 1;
          const barHeight = (counts[key] / total) * (bottom - frame.top);
          top -= barHeight;
          return `<rect data-point x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${colorOf(key)}"><title>${escapeHtml(`${bucket}–${bucket + 1} s: ${key} ${counts[key]} of ${total}`)}</title></rect>`;
        })
        .join('');
    })
    .join('');
  const axis = [0, 0.5, 1].map((share) => {
    const y = bottom - share * (bottom - frame.top);
    return `<text x="${frame.left - 6}" y="${y + 4}" text-anchor="end">${share * 100} %</text>`;
  });
  return `<svg data-chart="traffic" data-points="${count}" viewBox="0 0 ${frame.width} ${height}" role="img" aria-label="Share of traffic per endpoint over time">
${faultBands(windows, endMs, frame.top, bottom)}${axis.join('')}${timeAxis(endMs, bottom)}${bars}</svg>
${legend(series.map((key) => ({ color: colorOf(key), label: key })))}`;
};
