// Confirms a listener is bound to 127.0.0.1 only, from the kernel's socket tables: /proc/net/tcp lists addresses
// as little-endian hex, so 127.0.0.1 reads 0100007F; a listen on every interface shows as 00000000 (or in tcp6).
import { readFileSync } from 'node:fs';

const LISTEN = '0A';

const listeners = (file, port) => {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 3 && fields[3] === LISTEN && fields[1].endsWith(`:${hexPort}`))
    .map((fields) => fields[1].split(':')[0]);
};

/** Returns the listening addresses on `port` ("127.0.0.1"), throwing if any is not loopback. */
export const assertLoopbackListener = (port) => {
  const ipv4 = listeners('/proc/net/tcp', port);
  const ipv6 = listeners('/proc/net/tcp6', port);
  const addresses = [...ipv4.map((hex) => (hex === '0100007F' ? '127.0.0.1' : hex)), ...ipv6.map((hex) => `[${hex}]`)];
  if (addresses.length === 0 || addresses.some((address) => address !== '127.0.0.1')) {
    throw new Error(`port ${port} is not listening on 127.0.0.1 only: ${JSON.stringify(addresses)}`);
  }
  return addresses;
};
