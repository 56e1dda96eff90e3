#!/usr/bin/env node
// detour-chaos: runs one chaos upstream until SIGINT or SIGTERM. The first line on stdout is the URL alone, so a
// script can capture it; everything meant for people goes to stderr.
import { readFileSync } from 'node:fs';
import { readCliOptions, USAGE } from './cli/cli-options';
import { startChaosUpstream } from './server';

const HELP = `detour-chaos: an OpenAI-compatible upstream that misbehaves on command (Detour's testkit)

${USAGE}

  --port <n>            port to listen on (0, the default, picks a free one)
  --host <h>            address to bind (default 127.0.0.1)
  --script <file.json>  a rule list, or an object of option fields (name, script, latency, limiter, …); faults:
                        rate-limit, insufficient-quota, context-length, unauthorized, status, slow-first-byte,
                        slow-body, cut-stream, malformed-sse, stream-error-event, stall, vary-answer, reset, hang
  --name <n>            the upstream's name in its answers and logs
  --seed <s>            seed for the latency models and probabilistic rules
  -h, --help            print this help and exit
  -v, --version         print the version and exit

The first line on stdout is the URL; OpenAI clients use <url>/v1 as baseURL. SIGINT or SIGTERM stops it.
Docs: https://github.com/detour-dev/detour/tree/main/packages/testkit#readme
`;

/** The version in this package's manifest, read at run time (dist/cli.js sits one level below it). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(HELP);
  if (argv.includes('--version') || argv.includes('-v')) return void process.stdout.write(`${packageVersion()}\n`);
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
