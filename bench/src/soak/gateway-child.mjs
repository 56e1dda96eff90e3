// The gateway under soak, in a process of its own so its RSS, descriptors, heap and event-loop delay are its alone.
// Started by gateway-process.mjs with the config as argv[2]; answers `sample` messages over IPC with its heap and
// event-loop delay, and `stop` by draining and exiting. Nothing here handles rejections or warnings: Node prints
// them to stderr, where the soak counts them.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig, startGateway } from '@detour/gateway';

const config = loadConfig(JSON.parse(process.argv[2]), process.env, 'soak gateway config');
const gateway = await startGateway({ config });

// Two histograms: one per sample window, one for the measured part of the run (reset when warm-up ends).
const windowDelay = monitorEventLoopDelay({ resolution: 10 });
const totalDelay = monitorEventLoopDelay({ resolution: 10 });
windowDelay.enable();
totalDelay.enable();
const ms = (nanoseconds) => nanoseconds / 1e6;

process.on('message', (message) => {
  if (message?.type === 'sample') {
    process.send({
      type: 'sample',
      id: message.id,
      heapUsed: process.memoryUsage().heapUsed,
      delayP99Ms: ms(windowDelay.percentile(99)),
      delayMaxMs: ms(windowDelay.max),
    });
    windowDelay.reset();
  } else if (message?.type === 'reset-total') {
    totalDelay.reset();
  } else if (message?.type === 'total') {
    process.send({ type: 'total', id: message.id, delayP99Ms: ms(totalDelay.percentile(99)), delayMaxMs: ms(totalDelay.max) });
  } else if (message?.type === 'stop') {
    windowDelay.disable();
    totalDelay.disable();
    void gateway.close(message.graceMs ?? 2000).then(() => process.exit(0));
  }
});

console.log(`soak gateway listening on ${gateway.url}`);
