import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startChaosUpstream, type ChaosUpstream } from '@detour/testkit';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config';
import { startGateway, type RunningGateway } from '../src/node/start-gateway';
import { parseCliArgs } from '../src/node/parse-cli-args';

const cli = join(import.meta.dirname, '../dist/cli.js');
const run = promisify(execFile);
const adminKey = 'admin-key-for-the-cli-test';

const upstreams: ChaosUpstream[] = [];
const gateways: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close(0)));
  await Promise.all(upstreams.splice(0).map((upstream) => upstream.close()));
});

const gatewayWithTraffic = async (admin = true) => {
  const primary = await startChaosUpstream({ name: 'primary', script: [{ when: { nth: [1] }, fault: { type: 'cut-stream', afterChunks: 3, mode: 'close' } }] });
  const backup = await startChaosUpstream({ name: 'backup' });
  upstreams.push(primary, backup);
  const config = loadConfig(
    {
      endpoints: [
        { name: 'primary', baseUrl: primary.baseUrl, apiKey: 'sk-upstream-primary-secret', priority: 0 },
        { name: 'backup', baseUrl: backup.baseUrl, apiKey: 'sk-upstream-backup-secret', priority: 1 },
      ],
      gatewayKeys: [{ key: 'gk-ops-secret', name: 'ops' }, 'gk-unnamed-secret'],
      ...(admin ? { admin: { key: { env: 'TEST_ADMIN_KEY' } } } : {}),
    },
    { TEST_ADMIN_KEY: adminKey },
  );
  const gateway = await startGateway({ config });
  gateways.push(gateway);
  const ops = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-ops-secret', maxRetries: 0 });
  const unnamed = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'gk-unnamed-secret', maxRetries: 0 });
  // A stream cut after three chunks: the primary's attempt is billed for nothing served (wasted), whether Detour
  // rescues the rest of the answer elsewhere or the caller sees the cut.
  const stream = await ops.chat.completions.create({ model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'Say hello' }] });
  await (async () => {
    for await (const chunk of stream) void chunk;
  })().catch(() => undefined);
  await ops.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Say hello' }] });
  await unnamed.chat.completions.create({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'Say hello' }] });
  return gateway;
};

describe('detour-gateway costs', () => {
  it('prints spend by endpoint, model and key name, wasted spend included, with the admin key from the environment', async () => {
    const gateway = await gatewayWithTraffic();
    const { stdout } = await run(process.execPath, [cli, 'costs', '--url', gateway.url, '--window', '1h'], { env: { ...process.env, DETOUR_ADMIN_KEY: adminKey } });
    const summary = (await (await fetch(`${gateway.url}/admin/costs?window=1h`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as {
      totalUsd: number; wastedUsd: number;
    };
    expect(summary.wastedUsd).toBeGreaterThan(0);
    expect(stdout).toContain(`Spend over the last 1h`);
    expect(stdout).toContain(`$${summary.totalUsd.toFixed(6)}, of which wasted on failed attempts $${summary.wastedUsd.toFixed(6)}`);
    expect(stdout).toMatch(/^endpoint\s+model\s+key\s+served\s+wasted\s+abandoned\s+total\s+billed$/m);
    expect(stdout).toMatch(/^primary\s+gpt-4\.1\s+ops\s+\$\d\.\d{6}\s+\$0\.0000[0-9]*[1-9][0-9]*\s+/m);
    expect(stdout).toMatch(/^primary\s+gpt-4\.1-mini\s+key-1\s+/m);
    expect(stdout).toMatch(/^key\s+served/m);
    expect(stdout).not.toContain('secret');

    const json = await run(process.execPath, [cli, 'costs', '--url', gateway.url, '--window', '15m', '--json', '--admin-key', adminKey]);
    expect(JSON.parse(json.stdout)).toMatchObject({ windowSeconds: 900, byKey: expect.arrayContaining([expect.objectContaining({ key: 'ops' }), expect.objectContaining({ key: 'key-1' })]) });
  });

  it('says what is wrong: no key, a refused key, a bad window, a gateway without an admin key', async () => {
    const gateway = await gatewayWithTraffic();
    const env = { ...process.env, DETOUR_ADMIN_KEY: '' };
    const failure = (args: string[]) => run(process.execPath, [cli, 'costs', '--url', gateway.url, ...args], { env }).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(await failure([])).toMatchObject({ code: 1, stderr: expect.stringContaining('--admin-key or set DETOUR_ADMIN_KEY') });
    expect(await failure(['--admin-key', 'wrong'])).toMatchObject({ code: 1, stderr: expect.stringContaining('refused the admin key (401)') });
    expect(await failure(['--admin-key', adminKey, '--window', 'soon'])).toMatchObject({ code: 1, stderr: expect.stringContaining('window must be a number and a unit') });
    const closed = await gatewayWithTraffic(false);
    const off = await run(process.execPath, [cli, 'costs', '--url', closed.url, '--admin-key', adminKey]).then(() => undefined, (error: { stderr: string }) => error);
    expect(off).toMatchObject({ stderr: expect.stringContaining('has no admin key configured') });
  });

  it('parses its flags', () => {
    expect(parseCliArgs(['costs'])).toEqual({ action: 'costs', url: 'http://127.0.0.1:8787', adminKey: undefined, window: '1h', json: false });
    expect(parseCliArgs(['costs', '--url', 'http://gw.example:9000/ignored', '-w', '15m', '--json'])).toMatchObject({ url: 'http://gw.example:9000', window: '15m', json: true });
    expect(() => parseCliArgs(['costs', '--url', 'not a url'])).toThrow(/--url must be the gateway's address/);
    expect(() => parseCliArgs(['costs', '--url', 'ftp://gw'])).toThrow(/http:\/\/ or https:\/\//);
    expect(() => parseCliArgs(['costs', '--config', 'x.json'])).toThrow();
    // The one help covers both commands; `costs --help` was an unknown option.
    expect(parseCliArgs(['costs', '--help'])).toMatchObject({ action: 'help' });
    expect(parseCliArgs(['costs', '-h'])).toMatchObject({ action: 'help' });
  });
});
