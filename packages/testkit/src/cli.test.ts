import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const cli = join(packageRoot, 'dist/cli.js');
const children: ChildProcess[] = [];

beforeAll(() => {
  // The pipeline builds before testing; this covers a bare `vitest run` on a fresh checkout.
  if (!existsSync(cli)) execFileSync('pnpm', ['exec', 'tsup'], { cwd: packageRoot, stdio: 'ignore' });
}, 60_000);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function writeScript(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'detour-chaos-')), 'script.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

/** Spawns the built bin and resolves with the URL it prints first. */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve({ child, url: line });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

const chat = (url: string): Promise<Response> =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('detour-chaos CLI', () => {
  it('prints the URL it listens on, runs a rule-list script, and exits cleanly on SIGTERM', async () => {
    const script = writeScript([{ when: { nth: [1] }, fault: { type: 'rate-limit', dialect: 'anthropic' } }]);
    const { child, url } = await startCli(['--port', '0', '--script', script, '--name', 'cli-upstream', '--seed', '3']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const limited = await chat(url);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.type).toBe('rate_limit_error');
    const ok = await chat(url);
    expect((await ok.json()).choices[0].message.content).toContain('cli-upstream');
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('reads an options object from the script file and shuts down on SIGINT', async () => {
    const script = writeScript({ name: 'from-file', completionTokens: 4, script: [{ when: { nth: [2] }, fault: { type: 'status', status: 529 } }] });
    const { child, url } = await startCli(['--script', script]);
    const body = await (await chat(url)).json();
    expect(body.choices[0].message.content).toBe('Hello from from-file. This');
    expect((await chat(url)).status).toBe(529);
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
  });

  it('refuses a bad script, naming the bad path, with exit code 2', async () => {
    const script = writeScript([{ fault: { type: 'rate-limit', dialect: 'acme' } }]);
    const child = spawn(process.execPath, [cli, '--port', '0', '--script', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    // 'close' rather than 'exit': it also waits for stderr to be read to the end.
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    expect(await closed).toBe(2);
    expect(stderr).toContain('[0].fault.dialect');
  });

  it('prints its help and its version, and exits 0 without listening', () => {
    const help = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    for (const flag of ['--port', '--host', '--script', '--name', '--seed', '--version']) expect(help).toContain(flag);
    // Every fault the script schema takes is listed.
    const schema = readFileSync(join(import.meta.dirname, 'script/script-schema.ts'), 'utf8');
    const faults = [...schema.slice(schema.indexOf('const faultSchema'), schema.indexOf('export const scriptSchema')).matchAll(/type: z\.literal\('([a-z-]+)'\)/g)].map((match) => match[1]!);
    expect(faults.length).toBeGreaterThan(10);
    for (const fault of faults) expect(help.replace(/\s+/g, ' ')).toContain(fault);
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).trim()).toBe(manifest.version);
  });
});
