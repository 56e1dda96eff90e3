// Starts the upstreams' child process and talks to it over IPC: `control('stats')` and `control('reset')` resolve
// with every upstream's counters.
import { fileURLToPath } from 'node:url';
import { spawnNode, stopChild, waitForLine } from './child-processes.mjs';
import { cutStreamSettings, upstreamSettings } from './settings.mjs';

const upstreamsScript = fileURLToPath(new URL('./servers/upstreams.mjs', import.meta.url));

export const startUpstreams = async (cpu) => {
  const child = spawnNode({ name: 'upstreams', args: [upstreamsScript, JSON.stringify({ ...upstreamSettings, cutStreams: cutStreamSettings })], cpu, ipc: true });
  const [line] = await waitForLine(child, /\{"main".*\}/);
  const urls = JSON.parse(line);
  let nextId = 0;
  const control = (type) =>
    new Promise((resolve, reject) => {
      const id = (nextId += 1);
      const timer = setTimeout(() => reject(new Error(`upstreams did not answer "${type}"`)), 5000);
      const onMessage = (message) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ id, type });
    });
  return { urls, pid: child.pid, control, stop: () => stopChild(child) };
};
