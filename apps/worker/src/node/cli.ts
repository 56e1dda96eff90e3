#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/load-config';
import { helpText, packageVersion } from './cli-help';
import { costsCommand } from './costs-command';
import { describeConfig } from './describe-config';
import { parseCliArgs } from './parse-cli-args';
import { startGateway } from './start-gateway';

// `detour-gateway --config detour.json`: prints the URL it listens on; SIGTERM drains in-flight work, then exits 0.
const main = async () => {
  const args = parseCliArgs(process.argv.slice(2));
  if (args.action === 'help') return void process.stdout.write(helpText);
  if (args.action === 'version') return void process.stdout.write(`${packageVersion()}\n`);
  if (args.action === 'costs') return void process.stdout.write(await costsCommand(args, process.env));
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(args.config, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the config file ${args.config}: ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null) {
    const flags = {
      ...(args.allowUnauthenticated ? { allowUnauthenticated: true } : {}), ...(args.accessLog ? { accessLog: true } : {}),
      ...(process.env.DETOUR_TRACING ? { tracing: process.env.DETOUR_TRACING } : {}),
    };
    json = { ...json, ...flags };
  }
  const config = loadConfig(json, process.env, `gateway config (${args.config})`);
  if (args.action === 'check') return void process.stdout.write(describeConfig(config, args.config));
  const gateway = await startGateway({ config, port: args.port, host: args.host });
  console.log(`Detour gateway listening on ${gateway.url}`);
  const stop = (signal: string) => {
    console.log(`${signal}: draining in-flight requests (up to ${config.shutdownGraceMs} ms)`);
    void gateway.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
