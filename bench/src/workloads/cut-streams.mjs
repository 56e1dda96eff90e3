// Workload (f): streams cut at random points. The `cut-main` upstream cuts a seeded share of its 60-token streams
// after a uniformly drawn number of tokens (1–59; half closed cleanly without [DONE], half reset); `cut-backup` is
// healthy, answers the same deterministic text and can continue an assistant prefix (OpenRouter's rule: a trailing
// assistant message is continued). Each subject gets the same streams; the client judges each one against the whole
// answer. Detour runs as its own gateway over the two cut upstreams; Portkey as a two-target fallback over them;
// direct (cut-main only) is the reference with no protection at all.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runToJson } from '../child-processes.mjs';
import { cutStreamSettings, requestBody } from '../settings.mjs';
import { gatewayCli, keys, startDetourGateway } from '../subjects.mjs';
import { rotated } from './rotation.mjs';

const wholeStreams = fileURLToPath(new URL('../load/whole-streams.mjs', import.meta.url));
const PATH = '/v1/chat/completions';
export const cutStreamSubjects = ['direct', 'detour', 'portkey'];

/** Whether this build of core knows the endpoint `continuation` option (mid-stream rescue); the config uses it when so. */
const knowsContinuation = async () => {
  try {
    // The core the gateway under test was built with: apps/worker/dist/cli.js → packages/core/dist. Its option
    // schemas moved from the `binding` entry to `schemas` (2026-12-02); an older build has them in `binding`.
    for (const entry of ['schemas.js', 'binding.js']) {
      const core = await import(new URL(`../../../packages/core/dist/${entry}`, pathToFileURL(gatewayCli)).href).catch(() => undefined);
      if (core?.endpointSchema) return core.endpointSchema._zod?.def?.shape?.continuation !== undefined;
    }
    return false;
  } catch {
    return false;
  }
};

/** The Detour gateway over the cut upstreams: cut-main first, cut-backup declared continue-capable when core can. */
export const cutStreamGatewayConfig = (urls, continuation) => ({
  endpoints: [
    { name: 'cut-main', baseUrl: `${urls.cutMain}/v1`, apiKey: keys.main, priority: 0 },
    { name: 'cut-backup', baseUrl: `${urls.cutBackup}/v1`, apiKey: keys.backup, priority: 1, ...(continuation ? { continuation: 'openrouter' } : {}) },
  ],
  gatewayKeys: [keys.gateway],
  router: {},
  shutdownGraceMs: 2000,
});

const targetOf = (name, urls, detourOrigin, portkeyOrigin) => {
  if (name === 'direct') return { origin: urls.cutMain, path: PATH, headers: { authorization: `Bearer ${keys.main}` } };
  if (name === 'detour') return { origin: detourOrigin, path: PATH, headers: { authorization: `Bearer ${keys.gateway}` } };
  const config = {
    strategy: { mode: 'fallback' },
    targets: [
      { provider: 'openai', api_key: keys.main, custom_host: `${urls.cutMain}/v1` },
      { provider: 'openai', api_key: keys.backup, custom_host: `${urls.cutBackup}/v1` },
    ],
  };
  return { origin: portkeyOrigin, path: PATH, headers: { 'x-portkey-config': JSON.stringify(config) } };
};

/** The whole answer, asked of the healthy backup directly (the same body, not streamed). */
const referenceText = async (urls, body) => {
  const response = await fetch(`${urls.cutBackup}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.backup}` },
    body: JSON.stringify({ ...body, stream: false }),
  });
  return (await response.json()).choices[0].message.content;
};

export const runCutStreams = async ({ settings, subjects, upstreams, upstreamUrls, subjectCpu, loadCpu, log }) => {
  const { count, concurrency } = settings.cutStreams;
  const body = { ...requestBody, stream: true };
  const reference = await referenceText(upstreamUrls, body);
  const continuation = await knowsContinuation();
  const detour = await startDetourGateway(cutStreamGatewayConfig(upstreamUrls, continuation), subjectCpu, 'detour-cut-streams-config.json');
  const runs = Object.fromEntries(cutStreamSubjects.map((name) => [name, []]));
  try {
    for (let repetition = 0; repetition < settings.repetitions; repetition += 1) {
      for (const name of rotated(cutStreamSubjects, repetition)) {
        await upstreams.control('reset');
        const target = targetOf(name, upstreamUrls, detour.origin, subjects.portkey.origin);
        const spec = { ...target, body, count, concurrency, reference, timeoutMs: 30_000 };
        const load = await runToJson({ name: 'cut-streams load', args: [wholeStreams, JSON.stringify(spec)], cpu: loadCpu, timeoutMs: 120_000 });
        const { stats } = await upstreams.control('stats');
        const upstreamRequests = stats.cutMain.total + stats.cutBackup.total;
        const result = { ...load, upstream: { cutMain: stats.cutMain, cutBackup: stats.cutBackup }, upstreamRequests, wholeShare: load.whole / load.count, cutsAtPrimary: stats.cutMain.byOutcome['cut-stream'] ?? 0 };
        runs[name].push(result);
        log(`cut streams rep ${repetition + 1}/${settings.repetitions} ${name.padEnd(7)} whole ${(100 * result.wholeShare).toFixed(1)} %  visible errors ${load.visibleError}  silent truncations ${load.silentTruncation}  not a prefix ${load.notAPrefix}  (${result.cutsAtPrimary} cut at cut-main)`);
      }
    }
  } finally {
    await detour.stop();
  }
  return { runs, continuation, cutShare: cutStreamSettings.cutShare, tokens: cutStreamSettings.tokens, referenceWords: reference.split(' ').length };
};
