// The quota workload's upstreams, in one child process: three @detour/testkit chaos upstreams, each behind the
// honest token-bucket limiter with its own RPM/TPM, header dialect and starting fill (argv[2] is the JSON list).
// Prints one JSON line with their URLs, then answers the bench over IPC: `arm` restarts every upstream on the same
// port (fresh buckets at their starting fill, fresh counters) just before the load starts, so the seconds a subject
// takes to start do not fill the buckets; `stats` returns each upstream's counters.
import { startChaosUpstream } from '@detour/testkit';

const specs = JSON.parse(process.argv[2]);
let upstreams = {};
const startAll = async (ports = {}) => {
  const started = {};
  for (const spec of specs) {
    started[spec.name] = await startChaosUpstream({
      name: spec.name,
      port: ports[spec.name] ?? 0,
      seed: spec.seed,
      latency: spec.latency,
      completionTokens: spec.completionTokens,
      limiter: { requestsPerMinute: spec.rpm, tokensPerMinute: spec.tpm, initialFill: spec.initialFill, headers: spec.headers },
      // The bench reads counters only; keeping thousands of parsed bodies would cost the upstream CPU.
      recordLimit: 16,
    });
  }
  return started;
};
upstreams = await startAll();

process.on('message', async (message) => {
  if (message.type === 'arm') {
    const ports = Object.fromEntries(Object.entries(upstreams).map(([name, upstream]) => [name, Number(new URL(upstream.url).port)]));
    await Promise.allSettled(Object.values(upstreams).map((upstream) => upstream.close()));
    upstreams = await startAll(ports);
  }
  const stats = Object.fromEntries(Object.entries(upstreams).map(([name, upstream]) => {
    const { total, byOutcome } = upstream.stats();
    return [name, { total, byOutcome }];
  }));
  process.send({ id: message.id, stats });
});

const close = async () => {
  await Promise.allSettled(Object.values(upstreams).map((upstream) => upstream.close()));
  process.exit(0);
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
process.once('disconnect', close);

process.stdout.write(`${JSON.stringify({ quotaUpstreams: Object.fromEntries(Object.entries(upstreams).map(([name, upstream]) => [name, upstream.url])) })}\n`);
