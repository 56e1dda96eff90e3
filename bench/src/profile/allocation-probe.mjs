// Loaded into a subject with `node --import` by allocations.mjs: the first SIGUSR2 starts V8's sampling heap profiler
// with collected objects kept (every allocation counts, not only what is still alive), the second stops it and writes
// the profile to DETOUR_ALLOCATION_PROFILE. Each step prints a line on stdout that the driver waits for.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
// One sample per 256 bytes on average: fine enough for objects of a few dozen bytes, cheap enough to run under load.
const samplingInterval = 256;
let sampling = false;

process.on('SIGUSR2', () => {
  const step = sampling
    ? post('HeapProfiler.stopSampling').then(({ profile }) => {
        writeFileSync(process.env.DETOUR_ALLOCATION_PROFILE, JSON.stringify(profile));
        console.log('allocation profile written');
      })
    : post('HeapProfiler.enable')
        .then(() => post('HeapProfiler.startSampling', { samplingInterval, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true }))
        .then(() => console.log('allocation sampling on'));
  sampling = !sampling;
  step.catch((error) => console.error(`allocation probe: ${error.message}`));
});
