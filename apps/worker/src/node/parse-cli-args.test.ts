import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './parse-cli-args';

describe('detour-gateway’s --port and --host', () => {
  it('takes a port written in digits, 0 to 65535', () => {
    expect(parseCliArgs(['--config', 'c.json', '--port', '8787'])).toMatchObject({ port: 8787, host: '127.0.0.1' });
    expect(parseCliArgs(['--config', 'c.json', '--port', '0'])).toMatchObject({ port: 0 });
    expect(parseCliArgs(['--config', 'c.json', '--port', '65535', '--host', '0.0.0.0'])).toMatchObject({ port: 65_535, host: '0.0.0.0' });
  });

  it('refuses a port that is empty (an unset variable) or not plain digits, which Number() read as 0 or 80', () => {
    for (const port of ['', ' ', ' 0x50 ', '8787.0', '1e3', '-1', '65536', '+80']) {
      expect(() => parseCliArgs(['--config', 'c.json', `--port=${port}`])).toThrow(`--port must be a whole number from 0 to 65535, not "${port}"`);
    }
  });

  it('refuses an empty host, which would bind every interface', () => {
    for (const host of ['', '  ']) expect(() => parseCliArgs(['--config', 'c.json', '--host', host])).toThrow(/^--host must name an address/);
  });
});
