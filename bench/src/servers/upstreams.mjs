// The upstreams every subject talks to, in one child process: `main` (healthy JSON; streams paced by the script;
// 429s for the `flaky` model) and `backup` (always healthy). Prints one JSON line with their URLs, then answers the
// bench over IPC: `stats` returns each upstream's counters, `reset` zeroes them and restarts the scripts.
import { createSeededRandom, startChaosUpstream } from '@detour/testkit';

const { streamChunkMs, slowStreamChunkMs, failureRate, retryAfterMs, seed, cutStreams } = JSON.parse(process.argv[2]);

const mainScript = [
  // Memory workload: streams kept open for seconds, so a thousand of them are in flight at once.
  { when: { model: 'slow-stream' }, fault: { type: 'slow-body', chunkDelayMs: slowStreamChunkMs } },
  // Failover workload: a seeded share of requests gets OpenAI's 429 with Retry-After.
  { when: { model: 'flaky', probability: failureRate }, fault: { type: 'rate-limit', dialect: 'openai', retryAfterMs } },
  // Streaming workload: events paced like a model emitting tokens, so each arrives as its own chunk.
  { when: { stream: true }, fault: { type: 'slow-body', chunkDelayMs: streamChunkMs } },
];

/**
 * Cut-streams workload: `cutShare` of the streams cut after a uniformly drawn token in 1 … tokens − 1, drawn once
 * from the seed for request numbers 1 … 4,000 and scripted by request number (`nth`), so every subject's run (the
 * script restarts its count on reset) meets exactly the same cuts. Odd points close the connection cleanly (no
 * [DONE]), even ones reset it.
 */
const cutScript = (() => {
  const random = createSeededRandom(cutStreams.seed);
  const byPoint = new Map();
  for (let seq = 1; seq <= 4000; seq += 1) {
    if (random() >= cutStreams.cutShare) continue;
    const point = 1 + Math.floor(random() * (cutStreams.tokens - 1));
    byPoint.set(point, [...(byPoint.get(point) ?? []), seq]);
  }
  return [...byPoint].map(([point, nth]) => ({
    when: { stream: true, nth },
    fault: { type: 'cut-stream', afterTokens: point, mode: point % 2 === 1 ? 'close' : 'reset' },
  }));
})();
const cutAnswers = { answers: 'deterministic', completionTokens: cutStreams.tokens, chunkDelayMs: streamChunkMs, recordLimit: 16 };

// A short record list: the bench reads counters only, and keeping 10,000 parsed bodies would cost the upstream CPU.
const upstreams = {
  main: await startChaosUpstream({ name: 'main', script: mainScript, seed, recordLimit: 16 }),
  backup: await startChaosUpstream({ name: 'backup', seed: seed + 1, recordLimit: 16 }),
  // Same seed for both: a deterministic answer is the same text on each, so a replay or a continuation can match.
  cutMain: await startChaosUpstream({ name: 'cut-main', seed: cutStreams.seed, script: cutScript, ...cutAnswers }),
  cutBackup: await startChaosUpstream({ name: 'cut-backup', seed: cutStreams.seed, prefill: 'openrouter', ...cutAnswers }),
};

const counters = () =>
  Object.fromEntries(Object.entries(upstreams).map(([name, upstream]) => {
    const { total, byOutcome } = upstream.stats();
    return [name, { total, byOutcome }];
  }));

process.on('message', (message) => {
  if (message.type === 'reset') {
    upstreams.main.setScript(mainScript);
    upstreams.backup.setScript([]);
    upstreams.cutMain.setScript(cutScript);
    upstreams.cutBackup.setScript([]);
    for (const upstream of Object.values(upstreams)) upstream.resetStats();
  }
  process.send({ id: message.id, stats: counters() });
});

const close = async () => {
  await Promise.allSettled(Object.values(upstreams).map((upstream) => upstream.close()));
  process.exit(0);
};
process.once('SIGTERM', close);
process.once('SIGINT', close);
process.once('disconnect', close);

process.stdout.write(`${JSON.stringify({ main: upstreams.main.url, backup: upstreams.backup.url, cutMain: upstreams.cutMain.url, cutBackup: upstreams.cutBackup.url })}\n`);
