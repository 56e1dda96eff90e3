#!/usr/bin/env node
import { createRouter } from '@detour/node';
import { loadConfig } from '../config/load-config';
import { helpText, packageVersion } from './cli-help';
import { costsCommand } from './costs-command';
import { nodeStore } from './create-store';
import { describeConfig } from './describe-config';
import { parseCliArgs } from './parse-cli-args';
import { readConfigFile } from './read-config-file';
import { tracingModes } from '../config/tracing-modes';
import { checkTracing } from './setup-tracing';
import { nodeRouterOptions, startGateway } from './start-gateway';

// `detour-gateway --config detour.json`: prints the URL it listens on; SIGTERM drains in-flight work, then exits 0.
const main = async () => {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.action === 'help') return void process.stdout.write(helpText);
  if (args.action === 'version') return void process.stdout.write(`${packageVersion()}\n`);
  if (args.action === 'costs') return void process.stdout.write(await costsCommand(args, process.env));
  let json = readConfigFile(args.config);
  // `DETOUR_TRACING`, when set, wins over the config's `tracing` (an operator turns tracing on or off for one run
  // without editing the file); a value it cannot be is named as the variable's, not as the file's field.
  const tracing = process.env.DETOUR_TRACING;
  if (tracing && !(tracingModes as readonly string[]).includes(tracing)) {
    throw new Error(`environment DETOUR_TRACING: expected one of ${tracingModes.map((mode) => `"${mode}"`).join(', ')}, not ${JSON.stringify(tracing.slice(0, 40))}`);
  }
  // Flags join a config object; anything else (an array, a number) is refused as it was written.
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const flags = {
      ...(args.allowUnauthenticated ? { allowUnauthenticated: true } : {}), ...(args.accessLog ? { accessLog: true } : {}),
      ...(tracing ? { tracing } : {}),
    };
    json = { ...json, ...flags };
  }
  const config = loadConfig(json, process.env, `gateway config (${args.config})`);
  if (args.action === 'check') {
    // Loads what a start would load, so that --check fails where the start would.
    await checkTracing(config.tracing);
    nodeStore(config);
    // The router's connection pool reads the proxy variables (HTTPS_PROXY…): one that holds no URL fails here too.
    await createRouter(nodeRouterOptions(config), { tracer: false }).close();
    return void process.stdout.write(describeConfig(config, args.config));
  }
  const gateway = await startGateway({ config, port: args.port, host: args.host });
  // The first of SIGTERM, SIGINT and SIGHUP drains, then exits: 0, or 129 after SIGHUP, so that a supervisor that
  // restarts on failure (the README's systemd unit, `Restart=on-failure`) starts it again on the config as it is now:
  // an operator's `kill -HUP`, which asks daemons to reload, stopped the gateway for good (attack 19, F5). The
  // config is read at start only. Another signal changes nothing: a supervisor that
  // repeats itself (or follows SIGTERM with SIGINT) must not cut the streams the drain is finishing (Node's default
  // for a signal with no listener left killed the process, except as PID 1 in a container, where it ignored it).
  // Only SIGINT after SIGINT, a person at a terminal pressing Ctrl-C again, stops at once. SIGHUP, a closed
  // terminal, no longer kills the gateway outright.
  let drainedOn: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (drainedOn !== undefined) {
      if (signal !== 'SIGINT' || drainedOn !== 'SIGINT') return void console.log(`${signal}: already draining`);
      console.log('SIGINT again: stopping now, cutting what is in flight');
      process.exit(130);
    }
    drainedOn = signal;
    const delay = config.shutdownDelayMs > 0 ? `accepting for ${config.shutdownDelayMs} ms with /healthz at 503, then ` : '';
    console.log(`${signal}: draining in-flight requests (${delay}up to ${config.shutdownGraceMs} ms)`);
    const status = signal === 'SIGHUP' ? 129 : 0;
    if (status !== 0) console.log('SIGHUP: exiting with status 129 once drained, for the supervisor to start the gateway again with its config read anew');
    void gateway.close().then(() => process.exit(status));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
  // Announced only once a signal drains: a supervisor that stops the gateway as soon as it reads this line used to
  // kill it outright (Node's default for a signal nobody handles).
  console.log(`Detour gateway listening on ${gateway.url}`);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
