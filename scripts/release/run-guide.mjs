// Runs docs/getting-started.md as written. A comment right before a fenced block says what to do with it:
//   <!-- guide: install -->            an install block: not run; `install(cwd)` is called in its place
//   <!-- guide: file <name> -->        writes the block to <name> in the current folder
//   <!-- guide: background "<re>" -->  starts the block and waits until its output matches <re>
//   <!-- guide: expect "<re>" -->      (one or more) runs the block and checks its output
//   <!-- guide: skip -->               not run (commands that need a registry or an account, checked elsewhere)
// Other `sh` blocks are run and must exit 0; `text` blocks are output and are skipped. The guide's fixed ports
// (4001, 4002, 8787) are replaced by free ones, the only change made to its text.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Splits the guide into its fenced blocks, each with the directives written just before it. */
export const parseGuide = (markdown) => {
  const blocks = [];
  let directives = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const directive = /^<!-- guide: (\w+)(?: (.*))? -->$/.exec(line);
    if (directive) {
      directives.push({ kind: directive[1], argument: directive[2] === undefined ? undefined : directive[2].replace(/^"(.*)"$/, '$1') });
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      const body = [];
      for (index++; index < lines.length && !lines[index].startsWith('```'); index++) body.push(lines[index]);
      blocks.push({ language: fence[1], text: `${body.join('\n')}\n`, directives });
      directives = [];
    } else if (line.trim() !== '') directives = [];
  }
  return blocks;
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Runs the guide in `folder`. `install(cwd)` installs the packages where the guide's install block stands.
 * Returns the number of checks that passed; throws on the first failure. Background processes are stopped
 * (their whole process group, by id) before it returns.
 */
export const runGuide = async ({ guidePath, folder, install, installed, env, log, localizeFiles = [], timeoutMs = 60_000 }) => {
  const ports = new Map();
  for (const fixed of ['4001', '4002', '8787']) ports.set(fixed, String(await freePort()));
  const localize = (text) => text.replace(/\b(4001|4002|8787)\b/g, (port) => ports.get(port));
  const blocks = parseGuide(readFileSync(guidePath, 'utf8'));
  for (const file of localizeFiles) writeFileSync(join(folder, file), localize(readFileSync(join(folder, file), 'utf8')));
  const background = [];
  let cwd = folder;
  let checks = 0;
  const cwdFile = join(mkdtempSync(join(tmpdir(), 'detour-guide-')), 'cwd');

  const start = (script) => {
    const child = spawn('sh', ['-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    // Listeners added later run after these, so `output()` already holds the chunk they are told about.
    return { child, exited, output: () => output };
  };
  const stopAll = async () => {
    for (const { child, exited } of background) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone after SIGTERM, as it should be.
      }
    }
  };

  try {
    for (const block of blocks) {
      const kinds = new Map(block.directives.map((directive) => [directive.kind, directive.argument]));
      if (kinds.has('skip')) continue;
      if (kinds.has('install')) {
        await install(cwd);
        log(`guide: in place of "${block.text.trim().split('\n').join('; ')}": ${installed}`);
        checks++;
      } else if (kinds.has('file')) {
        writeFileSync(join(cwd, kinds.get('file')), localize(block.text));
      } else if (block.language === 'sh' && kinds.has('background')) {
        const ready = new RegExp(kinds.get('background'));
        const running = start(localize(block.text));
        background.push(running);
        await new Promise((resolve, reject) => {
          const check = () => {
            if (ready.test(running.output())) finish(resolve);
          };
          const fail = (why) => finish(() => reject(new Error(`guide: "${block.text.trim()}" ${why} before printing /${ready.source}/:\n${running.output()}`)));
          const timer = setTimeout(() => fail(`took over ${timeoutMs} ms`), timeoutMs);
          const onClose = (code) => fail(`exited ${code}`);
          const finish = (then) => {
            clearTimeout(timer);
            running.child.stdout.off('data', check);
            running.child.stderr.off('data', check);
            running.child.off('close', onClose);
            then();
          };
          running.child.stdout.on('data', check);
          running.child.stderr.on('data', check);
          running.child.once('close', onClose);
          check();
        });
        log(`guide: started ${block.text.trim().split('\n').filter((line) => !line.startsWith('#')).at(-1)}`);
        checks++;
      } else if (block.language === 'sh') {
        const running = start(`set -e\n${localize(block.text)}\npwd > "${cwdFile}"\n`);
        const timer = setTimeout(() => process.kill(-running.child.pid, 'SIGKILL'), timeoutMs);
        const code = await running.exited;
        clearTimeout(timer);
        if (code !== 0) throw new Error(`guide: "${block.text.trim()}" exited ${code}:\n${running.output()}`);
        cwd = readFileSync(cwdFile, 'utf8').trim();
        for (const directive of block.directives.filter((entry) => entry.kind === 'expect')) {
          if (!new RegExp(directive.argument).test(running.output())) {
            throw new Error(`guide: the output of "${block.text.trim()}" does not match /${directive.argument}/:\n${running.output()}`);
          }
        }
        log(`guide: ran ${block.text.trim().split('\n')[0]}${block.text.trim().includes('\n') ? ' …' : ''}`);
        checks++;
      }
    }
  } finally {
    await stopAll();
    rmSync(dirname(cwdFile), { recursive: true, force: true });
  }
  return checks;
};
