// Every server and load generator runs in its own child process, so the bench process itself never competes with
// a subject for CPU. This module starts them (pinned to a core with taskset when it can), remembers every one, and
// kills whatever is left when the bench exits, fails or is interrupted.
import { spawn, spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const running = new Set();

/** Whether `taskset` exists and there are at least two cores to pin to. */
export const canPin = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0 && cpus().length > 1;

/**
 * Spawns `node <args>` (through `taskset -c <cpu>` when pinning is possible; taskset execs, so the PID is node's).
 * @param {{ name: string, args: string[], cpu?: number, ipc?: boolean, env?: Record<string,string> }} options
 */
export const spawnNode = ({ name, args, cpu, ipc = false, env }) => spawnCommand({ name, command: process.execPath, args, cpu, ipc, env });

/**
 * Spawns any command the same way (pinned when possible, output tail kept, killed with the bench), e.g. the
 * quota workload's redis-server.
 * @param {{ name: string, command: string, args: string[], cpu?: number, ipc?: boolean, env?: Record<string,string> }} options
 */
export const spawnCommand = ({ name, command: program, args, cpu, ipc = false, env }) => {
  const [command, commandArgs] = canPin && cpu !== undefined ? ['taskset', ['-c', String(cpu), program, ...args]] : [program, args];
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
    env: { ...process.env, ...env },
  });
  child.benchName = name;
  child.output = '';
  const keep = (chunk) => {
    // Keep the tail only: enough to explain a crash, bounded however chatty the child is.
    child.output = (child.output + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
};

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits or `timeoutMs` passes first. */
export const waitForLine = (child, pattern, timeoutMs = 15_000) =>
  new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = seen.match(pattern);
      if (match) finish(() => resolve(match));
    };
    const onExit = (code) => finish(() => reject(new Error(`${child.benchName} exited (${code}) before it was ready:\n${child.output}`)));
    const timer = setTimeout(() => finish(() => reject(new Error(`${child.benchName} not ready after ${timeoutMs} ms:\n${child.output}`))), timeoutMs);
    const finish = (settle) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      settle();
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

/** Stops one child: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export const stopChild = (child, graceMs = 3000) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });

/** Runs a load generator to completion and returns the JSON it prints as its last stdout line. */
export const runToJson = async ({ name, args, cpu, timeoutMs }) => {
  const child = spawnNode({ name, args, cpu });
  let stdout = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  const last = stdout.trim().split('\n').pop();
  if (code !== 0 || !last) throw new Error(`${name} failed (exit ${code}):\n${child.output}`);
  return JSON.parse(last);
};

/** Kills every child still running. Synchronous, so it also works from an 'exit' handler. */
export const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
};

/** Installs handlers so no child outlives the bench, whether it ends, throws or is interrupted. */
export const killChildrenOnExit = () => {
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping every child process\n`);
      killAll();
      process.exit(130);
    });
  }
};
