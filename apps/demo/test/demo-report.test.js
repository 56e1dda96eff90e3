import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, ensureChromium } from './ensure-chromium.js';

const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));

describe('a short demo run', () => {
  let folder;
  let reportPath;
  let run;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'detour-demo-'));
    reportPath = join(folder, 'report.html');
    // A child process, as users run it: stdout is a pipe here, so the live view prints plain lines.
    const result = await promisify(execFile)(process.execPath, [cli, '--duration', '4', '--rate', '20', '--report', reportPath], { timeout: 90_000 })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((error) => ({ code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }));
    run = result;
  }, 120_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('exits with 0 because Detour meets the scenario’s success rate', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rate = /^success rate\s+([\d.]+) %/m.exec(run.stdout);
    expect(rate, run.stdout).not.toBeNull();
    expect(Number(rate[1])).toBeGreaterThanOrEqual(99);
  });

  it('prints plain progress lines when stdout is not a terminal', () => {
    expect(run.stdout).toMatch(/^\[Detour\] .* req\/s .* ok /m);
    expect(run.stdout).toMatch(/^\[naive \] /m);
    expect(run.stdout).toMatch(/^\[naive\+failover\] /m);
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('prints a summary table comparing Detour with naive retries', () => {
    for (const row of ['requests', 'success rate', 'upstream attempts / request', 'failovers', 'latency p50', 'latency p95', 'latency p99', 'USD spent', 'USD wasted on failed attempts', 'USD per successful request']) {
      expect(run.stdout).toMatch(new RegExp(`^${row}\\s`, 'm'));
    }
    expect(run.stdout).toMatch(/^\s+Detour\s+naive\s+naive\+failover$/m);
    expect(run.stdout).toContain(`Report: ${pathToFileURL(reportPath).href}`);
  });

  it('writes a self-contained report that loads in chromium without errors and whose charts have data', async () => {
    const html = await readFile(reportPath, 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const browser = await chromium.launch({ executablePath: ensureChromium(), args: chromiumArgs });
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
      const charts = await page.$$eval('svg[data-chart]', (svgs) =>
        svgs.map((svg) => ({ name: svg.dataset.chart, declared: Number(svg.dataset.points), drawn: svg.querySelectorAll('[data-point]').length })),
      );
      expect(problems).toEqual([]);
      expect(charts.map((chart) => chart.name)).toEqual(['latency', 'traffic', 'timeline']);
      for (const chart of charts) {
        expect(chart.drawn, chart.name).toBeGreaterThan(0);
        expect(chart.drawn, chart.name).toBe(chart.declared);
      }
      const latencyPoints = charts.find((chart) => chart.name === 'latency').drawn;
      expect(latencyPoints).toBe(3 * 4 * 20);
      const summaryCells = await page.$$eval('table[data-summary] th', (cells) => cells.map((cell) => cell.textContent));
      expect(summaryCells).toEqual(['', 'Detour', 'naive', 'naive+failover']);
    } finally {
      await browser.close();
    }
  });
});
