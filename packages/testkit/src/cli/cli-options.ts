import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseOptionsFile } from '../script/parse-script';
import type { ChaosOptions } from '../types';

/** The usage line printed on bad arguments. */
export const USAGE = 'usage: detour-chaos [--port <n>] [--host <h>] [--script <file.json>] [--name <n>] [--seed <s>]';

function integerFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`--${flag} must be an integer, got "${value}"\n${USAGE}`);
  return number;
}

/**
 * Reads the CLI's flags and script file into options. The file may hold a bare rule list or an object of option
 * fields; flags given on the command line win over the file's fields.
 */
export async function readCliOptions(argv: string[]): Promise<ChaosOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      script: { type: 'string' },
      name: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const fromFile = values.script === undefined ? {} : parseOptionsFile(JSON.parse(await readFile(values.script, 'utf8')));
  const options: ChaosOptions = { ...fromFile };
  const port = integerFlag(values.port, 'port');
  const seed = integerFlag(values.seed, 'seed');
  if (port !== undefined) options.port = port;
  if (seed !== undefined) options.seed = seed;
  if (values.host !== undefined) options.host = values.host;
  if (values.name !== undefined) options.name = values.name;
  return options;
}
