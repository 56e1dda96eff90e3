import { parseArgs } from 'node:util';

/** What the `detour-gateway` command line says. */
export interface CliArgs {
  /** Print help (`--help`) or the version (`--version`) and exit, or validate the config and exit (`--check`). */
  readonly action: 'run' | 'help' | 'version' | 'check';
  readonly config: string;
  readonly port: number;
  readonly host: string;
  readonly allowUnauthenticated: boolean;
  readonly accessLog: boolean;
}

export const usage =
  'usage: detour-gateway --config <file> [--port <n>] [--host <addr>] [--allow-unauthenticated] [--access-log] [--check] [--help] [--version]';

/** Parses the command line; throws an error whose message names the bad flag. */
export const parseCliArgs = (argv: readonly string[]): CliArgs => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-unauthenticated': { type: 'boolean', default: false },
      'access-log': { type: 'boolean', default: false },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
    strict: true,
  });
  const action = values.help ? 'help' : values.version ? 'version' : values.check ? 'check' : 'run';
  if (!values.config && (action === 'run' || action === 'check')) throw new Error(`--config is required\n${usage}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  return {
    action,
    config: values.config ?? '',
    port,
    host: values.host!,
    allowUnauthenticated: values['allow-unauthenticated'] === true,
    accessLog: values['access-log'] === true,
  };
};
