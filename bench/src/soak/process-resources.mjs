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

/**
 * Connections waiting in the kernel's accept queue of the listener on 127.0.0.1:`port` (`rx_queue` of its LISTEN
 * row in /proc/net/tcp), or NaN when it cannot be read. At the listen backlog (511 for Node) new connections are
 * dropped: the gateway is not accepting as fast as clients connect.
 */
export const acceptQueue = (port) => {
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is 0100007F:PORT for 127.0.0.1; state 0A is LISTEN; tx_queue:rx_queue is the fifth field.
      if (fields[1] === `0100007F:${hexPort}` && fields[3] === '0A') return Number.parseInt(fields[4].split(':')[1], 16);
    }
    return Number.NaN;
  } catch {
    return Number.NaN;
  }
};
