import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startChaosUpstream, type ChaosUpstream, type LimiterOptions } from '@detour/testkit';
import OpenAI from 'openai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';

// The scripted incident of issue 19: a 429 storm on the primary, traffic moving to the backup, then recovery, as
// an operator sees it on /dashboard in a real browser (Debian's chromium through playwright-core).
const adminKey = 'admin-key-for-the-dashboard-test';
const artifacts = join(import.meta.dirname, '../test-artifacts');
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** The primary's Retry-After: long enough for the page to show the countdown, short enough to watch it end. */
const retryAfterMs = 8000;

let browser: Browser;
beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
});
afterAll(async () => browser?.close());

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const start = async (admin: object | null = { key: adminKey }, limiter?: LimiterOptions) => {
  const primary = await startChaosUpstream({ name: 'primary', ...(limiter ? { limiter } : {}) });
  const backup = await startChaosUpstream({ name: 'backup' });
  upstreams.push(primary, backup);
  const config = loadConfig(
    {
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-secret', priority: 0 },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-upstream-backup-secret', priority: 1 },
      ],
      gatewayKeys: [{ key: 'gk-team-a-secret', name: 'team-a' }, { key: 'gk-team-b-secret', name: 'team-b' }],
      ...(admin ? { admin } : {}),
    },
    {},
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  const client = (key: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  return { primary, backup, gateway, teamA: client('gk-team-a-secret'), teamB: client('gk-team-b-secret') };
};

const ask = (model = 'gpt-4.1') => ({ model, messages: [{ role: 'user' as const, content: 'Say hello' }] });

/** USD per endpoint from /metrics, summed over models and outcomes: what the dashboard's spend must match. */
const metricSpend = async (url: string): Promise<Map<string, number>> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const spend = new Map<string, number>();
  for (const [, endpoint, value] of text.matchAll(/^detour_cost_usd_total\{endpoint="([^"]+)"[^}]*\} (\S+)$/gm)) {
    spend.set(endpoint!, (spend.get(endpoint!) ?? 0) + Number(value));
  }
  return spend;
};
const usd = (value: number) => `$${value >= 1 ? value.toFixed(2) : value.toFixed(6)}`;

const openDashboard = async (url: string): Promise<{ page: Page; problems: string[] }> => {
  const context = await browser.newContext({ httpCredentials: { username: 'operator', password: adminKey, origin: url }, viewport: { width: 1500, height: 1100 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()}`));
  await page.goto(`${url}/dashboard`);
  await page.locator('body[data-loaded="true"]').waitFor();
  return { page, problems };
};

describe('/dashboard during a 429 storm and its recovery', () => {
  // It waits out a real 8 s cooldown while the page polls every 2 s: a busy machine can take it past the suite's 30 s.
  it('shows the throttled endpoint cooling with a countdown, traffic on the backup, the timeline and spend matching /metrics', async () => {
    const { primary, gateway, teamA, teamB } = await start();
    primary.setScript([{ fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs } }]);
    // The storm: each model's first request meets a 429 and fails over; the rest go straight to the backup.
    for (const model of ['gpt-4.1', 'gpt-4.1-mini']) {
      for (let index = 0; index < 3; index += 1) {
        const { response } = await (index % 2 === 0 ? teamA : teamB).chat.completions.create(ask(model)).withResponse();
        expect(response.headers.get('x-detour-endpoint')).toBe('backup');
      }
    }
    expect(primary.stats().byOutcome['rate-limit']).toBe(2);

    const { page, problems } = await openDashboard(gateway.url);
    const primaryRow = page.locator('#endpoint-rows tr[data-endpoint="primary"]');
    const backupRow = page.locator('#endpoint-rows tr[data-endpoint="backup"]');
    await primaryRow.and(page.locator('[data-state="cooling"]')).waitFor();
    expect(await primaryRow.locator('.badge').textContent()).toBe('Cooling');
    expect(await primaryRow.locator('td.countdown').textContent()).toMatch(/^\d+ s left \((gpt-4\.1(-mini)?, )?gpt-4\.1(-mini)?\)$/);
    expect(await primaryRow.textContent()).toContain('Signal: HTTP 429, retry-after 8 s');
    expect(await backupRow.locator('td.share').textContent()).toContain('100 %');
    expect(await page.locator('#model-rows tr[data-endpoint="primary"][data-model="gpt-4.1"] td.countdown').textContent()).toMatch(/^\d+ s left$/);
    expect(await page.locator('#model-rows tr[data-endpoint="backup"][data-model="gpt-4.1"] td.countdown').textContent()).toBe('Available');
    expect(await backupRow.locator('meter').getAttribute('aria-label')).toBe('backup traffic share 100 %');
    const timeline = page.locator('#timeline');
    await timeline.locator('li[data-kind="cooldown"][data-endpoint="primary"]').first().waitFor();
    expect(await timeline.locator('li[data-kind="failover"]').first().textContent()).toContain('Failover to backup');
    expect(await timeline.locator('li[data-kind="cooldown"]').first().textContent()).toMatch(/Cooling \(model gpt-4\.1(-mini)?\) for \d+ s/);

    const spend = await metricSpend(gateway.url);
    expect(spend.get('backup')).toBeGreaterThan(0);
    expect(await backupRow.locator('td.spend').textContent()).toBe(usd(spend.get('backup')!));
    expect(await page.locator('#spend-total').textContent()).toBe(usd([...spend.values()].reduce((sum, value) => sum + value, 0)));
    expect(await page.locator('#key-rows').textContent()).toMatch(/team-a.*team-b|team-b.*team-a/s);
    await page.screenshot({ path: join(artifacts, 'dashboard-incident.png'), fullPage: true });

    // Recovery: the provider stops throttling; once the cooldown runs out the primary takes traffic again.
    primary.setScript([]);
    await primaryRow.and(page.locator('[data-state="ready"]')).waitFor({ timeout: retryAfterMs * 3 });
    for (let index = 0; index < 3; index += 1) {
      const { response } = await teamA.chat.completions.create(ask()).withResponse();
      expect(response.headers.get('x-detour-endpoint')).toBe('primary');
    }
    await primaryRow.locator('td:nth-child(9)', { hasText: /^3$/ }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain('primary is now ready');
    await timeline.locator('li[data-kind="cooldown-end"][data-endpoint="primary"]').first().waitFor();
    expect(await primaryRow.locator('td.countdown').textContent()).toBe('None');
    expect(await primaryRow.locator('td:nth-child(6)').textContent()).toBe('–');
    expect(await primaryRow.locator('td.share').textContent()).toContain('33.3 %');
    const after = await metricSpend(gateway.url);
    expect(await primaryRow.locator('td.spend').textContent()).toBe(usd(after.get('primary')!));
    expect(await primaryRow.locator('td.wasted').textContent()).toBe(usd(0));
    await page.screenshot({ path: join(artifacts, 'dashboard-recovered.png'), fullPage: true });

    // Keyboard: the pause button is reachable and works without a mouse.
    await page.locator('#pause').focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#pause').getAttribute('aria-pressed')).toBe('true');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows what is left of an endpoint\'s quota and when it is whole again, as its rate-limit headers said', async () => {
    const { primary, gateway, teamA } = await start({ key: adminKey }, { requestsPerMinute: 60, tokensPerMinute: 40_000 });
    for (let index = 0; index < 2; index += 1) await teamA.chat.completions.create(ask());
    expect(primary.stats().byOutcome.ok).toBe(2);

    const state = await (await fetch(`${gateway.url}/admin/state`, { headers: { authorization: `Bearer ${adminKey}` } })).json();
    const quota = state.endpoints.find((endpoint: { name: string }) => endpoint.name === 'primary').quota;
    expect(quota.map((entry: { dimension: string }) => entry.dimension)).toEqual(['requests', 'tokens']);
    // The bucket refills one request a second: two short of 60 just after, whole again within 2 s of the answer.
    const [requests] = quota;
    expect(requests.remaining).toBeGreaterThanOrEqual(58);
    expect(requests.remaining).toBeLessThanOrEqual(60);
    if (requests.remaining < 60) expect(requests.wholeAt - state.now).toBeGreaterThan(0);
    expect((requests.wholeAt ?? state.now) - state.now).toBeLessThanOrEqual(2000);
    expect(state.endpoints.find((endpoint: { name: string }) => endpoint.name === 'backup').quota).toEqual([]);

    const { page, problems } = await openDashboard(gateway.url);
    const cellText = await page.locator('#endpoint-rows tr[data-endpoint="primary"] td.quota').textContent();
    expect(cellText).toMatch(/^requests (5[89]|60)( \(whole in [0-2] s\))? · tokens \d+( \(whole in \d+ s\))?$/);
    expect(await page.locator('#endpoint-rows tr[data-endpoint="backup"] td.quota').textContent()).toBe('–');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('refuses the page and its JSON without the admin key, and leaks no data or secret with it', async () => {
    const { gateway, teamA } = await start();
    await teamA.chat.completions.create(ask());
    for (const path of ['/dashboard', '/admin/state', '/admin/costs']) {
      // The admin key followed by another word is not the admin key (attack 13: the first two words were taken).
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-key' }, { authorization: 'Bearer gk-team-a-secret' }, { authorization: `Basic ${btoa('operator:nope')}` }, { authorization: `Bearer ${adminKey} trailing-garbage` }]) {
        const response = await fetch(`${gateway.url}${path}`, { headers });
        const body = await response.text();
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(body).not.toContain('primary');
        expect(body).not.toContain('gpt-4.1');
      }
    }
    const state = await fetch(`${gateway.url}/admin/state`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(state.status).toBe(200);
    expect(state.headers.get('cache-control')).toBe('no-store');
    const text = await state.text();
    expect(text).toContain('"primary"');
    for (const secret of ['sk-upstream-primary-secret', 'sk-upstream-backup-secret', 'gk-team-a-secret', adminKey]) expect(text).not.toContain(secret);
    const page = await fetch(`${gateway.url}/dashboard`, { headers: { authorization: `Basic ${btoa(`anyone:${adminKey}`)}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/);
  });

  it('puts a 5xx storm that opens the primary\'s breaker on the timeline', async () => {
    const primary = await startChaosUpstream({ name: 'primary', script: [{ fault: { type: 'status', status: 500 } }] });
    const backup = await startChaosUpstream({ name: 'backup' });
    upstreams.push(primary, backup);
    const config = loadConfig(
      {
        endpoints: [
          { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-secret', priority: 0 },
          { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-upstream-backup-secret', priority: 1 },
        ],
        gatewayKeys: ['gk-team-a-secret'],
        admin: { key: adminKey },
        router: { breaker: { consecutiveFailures: 2, openMs: 60_000 } },
      },
      {},
    );
    const gateway = await startGateway({ config });
    gateways.push(gateway);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-team-a-secret', maxRetries: 0 });
    for (let index = 0; index < 4; index += 1) await client.chat.completions.create(ask());
    const state = (await (await fetch(`${gateway.url}/admin/state`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as {
      endpoints: { name: string; state: string; breaker: string; successRate: number | null }[]; timeline: { kind: string; endpoint: string; text: string }[];
    };
    expect(state.endpoints[0]).toMatchObject({ name: 'primary', state: 'open', breaker: 'open', successRate: 0 });
    expect(state.timeline.filter((entry) => entry.kind === 'breaker')).toEqual([expect.objectContaining({ endpoint: 'primary', text: 'Breaker closed → open' })]);
    expect(state.timeline.find((entry) => entry.kind === 'failover')?.text).toMatch(/^Failover to backup/);
  });

  it('is 404 when no admin key is configured', async () => {
    const { gateway } = await start(null);
    for (const path of ['/dashboard', '/admin/state', '/admin/costs']) {
      expect((await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${adminKey}` } })).status).toBe(404);
    }
  });
});

describe('/admin/costs', () => {
  it('sums spend by endpoint, model and gateway key name over a window, and names a bad window', async () => {
    const { primary, gateway, teamA, teamB } = await start();
    await teamA.chat.completions.create(ask());
    await teamB.chat.completions.create(ask('gpt-4.1-mini'));
    await teamB.chat.completions.create(ask('gpt-4.1-mini'));
    expect(primary.stats().total).toBe(3);
    const headers = { authorization: `Bearer ${adminKey}` };
    const summary = (await (await fetch(`${gateway.url}/admin/costs?window=15m`, { headers })).json()) as {
      windowSeconds: number; totalUsd: number; wastedUsd: number; rows: { endpoint: string; model: string; key: string; records: number; totalUsd: number }[];
      byKey: { key: string; totalUsd: number }[];
    };
    expect(summary.windowSeconds).toBe(900);
    expect(summary.wastedUsd).toBe(0);
    expect(summary.rows.map(({ endpoint, model, key, records }) => ({ endpoint, model, key, records })).sort((left, right) => left.key.localeCompare(right.key))).toEqual([
      { endpoint: 'primary', model: 'gpt-4.1', key: 'team-a', records: 1 },
      { endpoint: 'primary', model: 'gpt-4.1-mini', key: 'team-b', records: 2 },
    ]);
    const spend = await metricSpend(gateway.url);
    expect(summary.totalUsd).toBeCloseTo(spend.get('primary')!, 12);
    expect(JSON.stringify(summary)).not.toContain('secret');
    const bad = await fetch(`${gateway.url}/admin/costs?window=forever`, { headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'invalid_window', message: expect.stringContaining('forever') });
    expect((await fetch(`${gateway.url}/admin/costs?window=2d`, { headers })).status).toBe(400);
  });
});
