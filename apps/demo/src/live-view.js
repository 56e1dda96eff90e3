import { formatMs, formatPercent, formatUsd } from './format-figures.js';

/**
 * @typedef {object} EndpointCell  One endpoint as one client sees it.
 * @property {string} state  `closed`, `open`, `half-open`, `cooling`, or free text.
 * @property {number | undefined} secondsLeft
 *
 * @typedef {object} LiveSnapshot
 * @property {string} title
 * @property {number} durationMs
 * @property {number} planned
 * @property {ReturnType<typeof import('./run-record.js').liveFigures>} figures
 * @property {string[]} clients  Column headings for the endpoint cells (`gateway`, `createFetch`, …).
 * @property {{ name: string, cells: EndpointCell[], served: number }[]} endpoints
 */

const colors = { closed: 32, open: 31, 'half-open': 33, cooling: 36 };
const paint = (tty, text, state) => (tty && colors[state] ? `\x1b[${colors[state]}m${text}\x1b[0m` : text);
const cellText = (cell) => (cell.secondsLeft === undefined ? cell.state : `${cell.state} ${cell.secondsLeft.toFixed(1)}s`);

/** The multi-line view drawn in place on a terminal. */
const renderPanel = (snapshot) => {
  const { figures } = snapshot;
  const progress = Math.min(1, figures.elapsedMs / snapshot.durationMs);
  const bar = '█'.repeat(Math.round(progress * 24)).padEnd(24, '░');
  const lines = [
    `${snapshot.title}  ${bar} ${(figures.elapsedMs / 1000).toFixed(1)}/${(snapshot.durationMs / 1000).toFixed(0)} s   sent ${figures.sent}/${snapshot.planned}   in flight ${figures.inFlight}`,
    `  ${figures.done} done · ${figures.completionsPerSecond} req/s · success ${formatPercent(figures.successRate)} · p50 ${formatMs(figures.p50)} · p99 ${formatMs(figures.p99)} · spent ${formatUsd(figures.spentUsd)}`,
    `  ${'endpoint'.padEnd(10)}${snapshot.clients.map((client) => client.padEnd(16)).join('')}served`,
  ];
  for (const endpoint of snapshot.endpoints) {
    const cells = endpoint.cells.map((cell) => paint(true, cellText(cell).padEnd(16), cell.state)).join('');
    lines.push(`  ${endpoint.name.padEnd(10)}${cells}${endpoint.served}`);
  }
  return lines;
};

/** One plain line, for logs and pipes. */
const renderLine = (snapshot) => {
  const { figures } = snapshot;
  const endpoints = snapshot.endpoints.map((endpoint) => `${endpoint.name}=${endpoint.cells.map(cellText).join('/')}`).join(' ');
  return `[${snapshot.title}] ${(figures.elapsedMs / 1000).toFixed(0)}/${(snapshot.durationMs / 1000).toFixed(0)} s  sent ${figures.sent}/${snapshot.planned}  done ${figures.done}  ${figures.completionsPerSecond} req/s  ok ${formatPercent(figures.successRate)}  p50 ${formatMs(figures.p50)}  p99 ${formatMs(figures.p99)}  ${formatUsd(figures.spentUsd)}  ${endpoints}`;
};

/**
 * Shows a run while it happens: redrawn in place four times a second on a terminal, or one plain line a second
 * when stdout is a pipe or a file (CI logs stay readable and short).
 *
 * @param {{ output: NodeJS.WriteStream, read: () => Promise<LiveSnapshot> }} options
 * @returns {{ stop: () => Promise<void> }}  `stop` draws the final state once more and ends the timer.
 */
export const startLiveView = ({ output, read }) => {
  const tty = output.isTTY === true;
  let drawn = 0;
  let drawing = Promise.resolve();
  const draw = () => {
    // Health reads are async; chaining keeps two draws from interleaving their output.
    drawing = drawing.then(async () => {
      const snapshot = await read();
      if (!tty) {
        output.write(`${renderLine(snapshot)}\n`);
        return;
      }
      const lines = renderPanel(snapshot);
      // Move to the first line of the previous frame and clear to the end of the screen, then draw the new one.
      output.write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    });
    return drawing;
  };
  const timer = setInterval(draw, tty ? 250 : 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await draw();
    },
  };
};
