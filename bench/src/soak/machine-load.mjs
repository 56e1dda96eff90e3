// The machine around the soak: load average and the kernel's count of connections dropped because a listener's
// accept queue was full. On a shared machine these explain a request stuck "not connected yet" better than the
// gateway can: they are printed with the verdict, never used to excuse it.
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';

/** `TcpExt: ListenOverflows` from /proc/net/netstat (machine-wide), or NaN where it cannot be read. */
export const listenOverflows = () => {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((line) => line.startsWith('TcpExt:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return Number.NaN;
  }
};

/** The one-minute load average, to two decimals. */
export const loadAverage = () => Math.round(loadavg()[0] * 100) / 100;
