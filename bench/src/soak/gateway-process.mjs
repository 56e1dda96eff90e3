// Starts the gateway child (gateway-child.mjs), asks it for samples over IPC with a bounded wait, and reads its
// stderr for what must never appear in a healthy gateway: process warnings (MaxListenersExceededWarning, …) and
// unhandled rejections. It runs with `--unhandled-rejections=warn` so one rejection is counted and the soak goes
// on measuring, where Node's default would end the process (which the soak also reports, as an exit).
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, waitForLine } from '../child-processes.mjs';

const childScript = fileURLToPath(new URL('./gateway-child.mjs', import.meta.url));
const warningLine = /^\(node:\d+\) (?:\[[^\]]+\] )?(\w*Warning)\b/;

/**
 * @param {object} config the gateway config (JSON), as a config file would hold it
 * @param {number} cpu a core to pin to, or undefined
 */
export const startGatewayProcess = async (config, cpu) => {
  const child = spawnNode({
    name: 'soak gateway',
    args: ['--unhandled-rejections=warn', '--trace-warnings', childScript, JSON.stringify(config)],
    ipc: true,
    cpu,
  });
  const stderr = { warnings: new Map(), unhandledRejections: 0, otherLines: 0, examples: [] };
  let pendingLines = '';
  child.stderr.on('data', (chunk) => {
    pendingLines += chunk;
    const lines = pendingLines.split('\n');
    pendingLines = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const match = warningLine.exec(line);
      if (match) {
        const name = match[1];
        if (name === 'UnhandledPromiseRejectionWarning') stderr.unhandledRejections += 1;
        else stderr.warnings.set(name, (stderr.warnings.get(name) ?? 0) + 1);
      } else if (!/^\s+at /.test(line)) stderr.otherLines += 1;
      // Keep the first lines (with their stack frames) to explain a failure; bounded however chatty the child is.
      if (stderr.examples.length < 40) stderr.examples.push(line);
    }
  });
  let exit;
  child.once('exit', (code, signal) => (exit = { code, signal }));
  const [, url] = await waitForLine(child, /soak gateway listening on (http:\/\/\S+)/, 20_000);

  let nextId = 0;
  /** Sends one message and waits for the reply with the same id, at most `timeoutMs`; undefined on timeout. */
  const ask = (type, timeoutMs = 2000) =>
    new Promise((resolve) => {
      if (exit || !child.connected) return resolve(undefined);
      const id = (nextId += 1);
      const onMessage = (message) => {
        if (message?.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      };
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        resolve(undefined);
      }, timeoutMs);
      child.on('message', onMessage);
      child.send({ type, id });
    });

  return {
    url,
    pid: child.pid,
    stderr,
    /** How the child ended, if it has. */
    exited: () => exit,
    sample: () => ask('sample'),
    totalDelay: () => ask('total'),
    resetTotalDelay: () => child.connected && child.send({ type: 'reset-total' }),
    /** Drains (2 s grace) and waits for the exit; kills it if it is not gone within 8 s. */
    async stop() {
      if (!exit && child.connected) child.send({ type: 'stop', graceMs: 2000 });
      await Promise.race([new Promise((resolve) => (exit ? resolve() : child.once('exit', resolve))), new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
      await stopChild(child, 2000);
    },
  };
};
