#!/usr/bin/env node
// detour-chaos: runs one chaos upstream until SIGINT or SIGTERM. The first line on stdout is the URL alone, so a
// script can capture it; everything meant for people goes to stderr.
import { readCliOptions, USAGE } from './cli/cli-options';
import { startChaosUpstream } from './server';

async function main(): Promise<void> {
  const upstream = await startChaosUpstream(await readCliOptions(process.argv.slice(2)));
  process.stdout.write(`${upstream.url}\n`);
  process.stderr.write(`detour-chaos "${upstream.name}" listening; OpenAI baseURL ${upstream.baseUrl}, Anthropic baseURL ${upstream.url}\n`);
  const shutDown = (signal: string): void => {
    process.stderr.write(`detour-chaos: ${signal}, closing\n`);
    upstream.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutDown('SIGINT'));
  process.once('SIGTERM', () => shutDown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`detour-chaos: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(2);
});
