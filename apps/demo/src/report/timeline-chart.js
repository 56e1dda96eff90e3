import { escapeHtml, failedColor, frame, legend, timeAxis, timeScale } from './svg.js';
import { stateSegments } from './state-segments.js';

const stateColors = { open: '#dc2626', 'half-open': '#facc15', cooling: '#06b6d4', fault: '#9ca3af' };
const rowHeight = 18;

/**
 * The breaker and cooldown timeline of the Detour run: one row per scripted fault (what the upstream did), then
 * one row per endpoint for each Detour client (what Detour believed), then a row of failover ticks.
 *
 * @param {{ run: import('../run-record.js').RunRecord, upstreams: string[], windows: import('../scenarios.js').FaultWindow[], endMs: number }} options
 */
export const timelineChart = ({ run, upstreams, windows, endMs }) => {
  const x = timeScale(endMs);
  const sources = [...new Set(run.events.map((event) => event.source))];
  const rows = [
    ...upstreams.map((upstream) => ({
      label: `${upstream}: scripted`,
      segments: windows.filter((window) => window.upstream === upstream).map((window) => ({ ...window, state: 'fault', detail: window.label })),
    })),
    ...sources.flatMap((source) =>
      upstreams.map((upstream) => {
        const events = run.events.filter((event) => event.source === source);
        return { label: `${source}: ${upstream}`, segments: stateSegments(events, upstream, run.startedAt, endMs) };
      }),
    ),
  ];
  const failovers = run.events.filter((event) => event.type === 'failover');
  const height = frame.top + (rows.length + 1) * rowHeight + frame.bottom;
  const bottom = height - frame.bottom;
  let count = 0;
  const drawn = rows
    .map((row, index) => {
      const top = frame.top + index * rowHeight;
      const bars = row.segments
        .filter((segment) => segment.toMs > segment.fromMs)
        .map((segment) => {
          count += 1;
          return `<rect data-point x="${x(segment.fromMs).toFixed(1)}" y="${top + 2}" width="${Math.max(1, x(segment.toMs) - x(segment.fromMs)).toFixed(1)}" height="${rowHeight - 4}" fill="${stateColors[segment.state]}"><title>${escapeHtml(`${row.label} ${segment.state} ${(segment.fromMs / 1000).toFixed(2)}–${(segment.toMs / 1000).toFixed(2)} s: ${segment.detail}`)}</title></rect>`;
        })
        .join('');
      return `<text x="${frame.left - 6}" y="${top + rowHeight - 5}" text-anchor="end" class="row">${escapeHtml(row.label)}</text><line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${top + rowHeight}" y2="${top + rowHeight}" stroke="#f3f4f6"/>${bars}`;
    })
    .join('');
  const tickTop = frame.top + rows.length * rowHeight;
  const ticks = failovers
    .map((event) => {
      count += 1;
      return `<line data-point x1="${x(event.t).toFixed(1)}" x2="${x(event.t).toFixed(1)}" y1="${tickTop + 3}" y2="${tickTop + rowHeight - 3}" stroke="${failedColor}" stroke-opacity="0.6"><title>${escapeHtml(`${event.source}: failover ${event.from} → ${event.to} at ${(event.t / 1000).toFixed(2)} s (${event.reason})`)}</title></line>`;
    })
    .join('');
  return `<svg data-chart="timeline" data-points="${count}" viewBox="0 0 ${frame.width} ${height}" role="img" aria-label="Breaker and cooldown timeline" class="timeline">
${drawn}<text x="${frame.left - 6}" y="${tickTop + rowHeight - 5}" text-anchor="end" class="row">failovers (${failovers.length})</text>${ticks}${timeAxis(endMs, bottom)}</svg>
${legend([
  { color: stateColors.fault, label: 'scripted fault' },
  { color: stateColors.open, label: 'breaker open' },
  { color: stateColors['half-open'], label: 'half-open' },
  { color: stateColors.cooling, label: 'cooling (Retry-After / reset)' },
  { color: failedColor, label: 'failover' },
])}`;
};
