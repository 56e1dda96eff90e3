import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfigFile } from '../src/node/read-config-file';

const folder = mkdtempSync(join(tmpdir(), 'detour-config-file-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const errorFor = (text: string): string => {
  const path = join(folder, `config-${(files += 1)}.json`);
  writeFileSync(path, text);
  try {
    readConfigFile(path);
  } catch (error) {
    return (error as Error).message.slice(path.length + 'Cannot read the config file '.length);
  }
  return 'parsed';
};

describe('reading the config file', () => {
  it('says where a syntax error is and never quotes the file, which holds keys', () => {
    // V8 quoted ten characters either side of an unquoted value: a key, in this case.
    const unquoted = '{\n  "endpoints": [\n    { "name": "a", "apiKey": sk-LEAKME-1234567890 }\n  ]\n}\n';
    expect(errorFor(unquoted)).toBe(': not valid JSON at line 3, column 30: unexpected character');
    expect(errorFor('{"a": 1,}')).toBe(": not valid JSON at line 1, column 9: Expected double-quoted property name");
    expect(errorFor('{"a": "sk-LEAKME')).toBe(': not valid JSON at line 1, column 17: Unterminated string');
    expect(errorFor('{"a": 1}}')).toBe(': not valid JSON at line 1, column 9: Unexpected non-whitespace character after JSON');
    expect(errorFor('')).toBe(': not valid JSON at line 1, column 1: Unexpected end of JSON input');
    for (const text of [unquoted, '{"apiKey": sk-LEAKME}', '{"apiKey":"sk-LEAKME\u0001"}', 'sk-LEAKME']) expect(errorFor(text)).not.toMatch(/LEAK|sk-/);
  });

  it('reads a file that starts with a byte order mark, and names a file it cannot open', () => {
    expect(errorFor('\uFEFF{"endpoints": []}')).toBe('parsed');
    expect(() => readConfigFile(join(folder, 'missing.json'))).toThrow(/Cannot read the config file .*missing\.json: ENOENT/);
  });

  it('refuses a file that never ends (/dev/zero) past 64 MiB, and names a directory', () => {
    expect(() => readConfigFile('/dev/zero')).toThrow('Cannot read the config file /dev/zero: it is larger than 64 MiB, which no config is');
    expect(() => readConfigFile(folder)).toThrow(/^Cannot read the config file .*: EISDIR/);
  });
});
