// Shared helpers: a chaos upstream in a separate process (so it never holds the client process open).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const CLI = '/tmp/attack18b/repo/packages/testkit/dist/cli.js';
let n = 0;
export const spawnUpstream = (name, options = {}, ttlS = 240) =>
  new Promise((resolve, reject) => {
    const file = `/tmp/attack18b/up-${process.pid}-${n++}.json`;
    writeFileSync(file, JSON.stringify({ name, ...options }));
    const child = spawn('bash', ['-c', `ulimit -Sn $(ulimit -Hn); exec nice -n 19 timeout ${ttlS} ${process.execPath} ${CLI} --script ${file}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (url) => resolve({ url, baseUrl: `${url}/v1`, kill: () => { try { process.kill(child.pid, 'SIGTERM'); } catch {} } }));
    child.once('error', reject);
  });
// Runs a node child script, timing how long it lives after it prints "DONE".
export const timeExit = (script, args, capMs = 30000) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('nice', ['-n', '19', process.execPath, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let doneAt; let out = ''; let err = '';
    child.stdout.on('data', (d) => { out += d; if (doneAt === undefined && out.includes('DONE')) doneAt = Date.now(); });
    child.stderr.on('data', (d) => { err += d; });
    const cap = setTimeout(() => { try { process.kill(child.pid, 'SIGKILL'); } catch {} }, capMs);
    child.once('exit', (code, signal) => {
      clearTimeout(cap);
      const end = Date.now();
      resolve({ code, signal, totalMs: end - started, afterDoneMs: doneAt === undefined ? undefined : end - doneAt, out: out.trim(), err: err.trim() });
    });
  });
