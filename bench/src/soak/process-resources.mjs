// What the soak reads of the gateway from outside: resident memory and open file descriptors, from /proc.
import { readFileSync, readdirSync } from 'node:fs';

/** Resident set size in MiB (`VmRSS`), or NaN once the process is gone. */
export const readRssMiB = (pid) => {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
};

/** Open file descriptors (sockets included), or NaN once the process is gone. */
export const countFds = (pid) => {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return Number.NaN;
  }
};
