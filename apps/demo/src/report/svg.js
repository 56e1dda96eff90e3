/** Escapes text for HTML and SVG content and attributes. */
export const escapeHtml = (text) =>
  String(text).replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]);

/** Colours per upstream (by position in priority order), shared by every chart and legend. */
export const endpointColors = ['#2563eb', '#d97706', '#7c3aed', '#0d9488', '#db2777'];
export const failedColor = '#dc2626';

/** Plot area shared by the charts: an SVG of `width` × `height` with room for axes. */
export const frame = { width: 960, left: 150, right: 16, top: 16, bottom: 30 };

/** A linear time scale from ms since the run's start to an x position in the plot area. */
export const timeScale = (endMs) => (ms) => frame.left + (Math.max(0, Math.min(ms, endMs)) / endMs) * (frame.width - frame.left - frame.right);

/** Tick marks and labels for the time axis, one per whole step of seconds. */
export const timeAxis = (endMs, y) => {
  const x = timeScale(endMs);
  const stepMs = endMs > 40_000 ? 10_000 : endMs > 12_000 ? 5000 : 1000;
  const ticks = [];
  for (let ms = 0; ms <= endMs; ms += stepMs) {
    ticks.push(`<line x1="${x(ms)}" x2="${x(ms)}" y1="${y}" y2="${y + 4}" stroke="#888"/><text x="${x(ms)}" y="${y + 16}" text-anchor="middle">${ms / 1000} s</text>`);
  }
  return `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y}" y2="${y}" stroke="#888"/>${ticks.join('')}`;
};

/** Shaded bands behind a chart for the scripted fault windows, so effects line up with causes. */
export const faultBands = (windows, endMs, top, bottom) => {
  const x = timeScale(endMs);
  return windows
    .map((window) => `<rect x="${x(window.fromMs)}" y="${top}" width="${x(window.toMs) - x(window.fromMs)}" height="${bottom - top}" fill="#f3f4f6"><title>${escapeHtml(`${window.upstream}: ${window.label}`)}</title></rect>`)
    .join('');
};

/** A small legend: coloured squares and labels in a row. */
export const legend = (items) =>
  `<p class="legend">${items.map(({ color, label }) => `<span><i style="background:${color}"></i>${escapeHtml(label)}</span>`).join('')}</p>`;
