// CPU seconds a process has used (user + system), from /proc/<pid>/stat. CPU per request is a steadier cost figure
// than latency on a shared machine: queueing behind other work inflates latency far more than it inflates CPU time.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far by `pid`, or NaN when there is no such process (the direct path). */
export const cpuSeconds = (pid) => {
  if (pid === undefined) return Number.NaN;
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are 14 and 15.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
};
