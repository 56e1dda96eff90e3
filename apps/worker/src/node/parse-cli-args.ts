import { parseArgs } from 'node:util';

/** What `detour-gateway costs` says: where the gateway is, over what window, and how to print. */
export interface CostsArgs {
  readonly action: 'costs';
  /** The gateway's origin, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** `--admin-key`, else the `DETOUR_ADMIN_KEY` environment variable (kept out of the process list). */
  readonly adminKey: string | undefined;
  /** As `/admin/costs` reads it: `15m`, `1h`, `1d`. */
  readonly window: string;
  /** Print the JSON answer instead of a table. */
  readonly json: boolean;
}

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
  'usage: detour-gateway --config <file> [--port <n>] [--host <addr>] [--allow-unauthenticated] [--access-log] [--check] [--help] [--version]\n' +
  '       detour-gateway costs [--url http://127.0.0.1:8787] [--admin-key <key>] [--window 1h] [--json] [--help]';

const parseCostsArgs = (argv: readonly string[]): CostsArgs => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8787' },
      'admin-key': { type: 'string' },
      window: { type: 'string', short: 'w', default: '1h' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  let url: URL;
  try {
    url = new URL(values.url!);
  } catch {
    throw new Error(`--url must be the gateway's address, like http://127.0.0.1:8787, not "${values.url}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--url must be an http:// or https:// address, not "${values.url}"`);
  return { action: 'costs', url: url.origin, adminKey: values['admin-key'], window: values.window!, json: values.json === true };
};

/** Parses the command line; throws an error whose message names the bad flag. */
export const parseCliArgs = (argv: readonly string[]): CliArgs | CostsArgs => {
  if (argv[0] === 'costs') {
    // `costs --help` prints the one help, which covers both commands.
    const help = argv.includes('--help') || argv.includes('-h');
    if (help) return { action: 'help', config: '', port: 8787, host: '127.0.0.1', allowUnauthenticated: false, accessLog: false };
    return parseCostsArgs(argv.slice(1));
  }
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
  // Digits only: `Number()` read "" (an unset variable in a unit file) as 0, a random port, and " 0x50 " as 80.
  const port = /^\d{1,5}$/.test(values.port!) ? Number(values.port) : Number.NaN;
  if (!(port <= 65_535)) throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  // An empty host binds every interface ("::"): a gateway meant for loopback would be open to the network.
  if (values.host!.trim() === '') throw new Error('--host must name an address, such as 127.0.0.1 (or 0.0.0.0 for every interface), not ""');
  return {
    action,
    config: values.config ?? '',
    port,
    host: values.host!,
    allowUnauthenticated: values['allow-unauthenticated'] === true,
    accessLog: values['access-log'] === true,
  };
};
