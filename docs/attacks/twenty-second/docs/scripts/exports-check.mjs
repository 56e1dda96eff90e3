// Every name the docs say is exported, looked up in the installed packages' entries
const want = {
  '@detour/core': ['createRouter','parseRouterOptions','createDetourFetch','createMemoryStore','createSecretScrubber','priceTableVersion','defaultPriceTable','DetourError','NoEndpointAvailableError','StreamInterruptedError','AttemptsExhaustedError','RouterClosedError','InvalidOptionsError','apiOfPath','defaultApis','endpointApis','openTelemetryTracer'],
  '@detour/core/binding': ['systemClock','createSleep','describeTransportError','toResponse','errorResponse','validate','englishMessage','toIssues','isReplayable'],
  '@detour/core/schemas': ['routerOptionsSchema','endpointSchema','compileRule','rulesModuleSource'],
  '@detour/core/testing': [], '@detour/core/signals': [], '@detour/core/store': ['createMemoryStore'],
  '@detour/node': ['createRouter','createFetch','createUndiciTransport','RouterClosedError','InvalidOptionsError','openTelemetryTracer','apiOfPath','defaultApis','endpointApis','defaultPriceTable'],
  '@detour/node/schemas': ['agentOptionsSchema'],
  '@detour/edge': ['createRouter','createFetch','openTelemetryTracer'],
  '@detour/redis': ['createRedisStore'],
  '@detour/cloudflare': ['createDurableObjectStore','DetourStateObject'],
  '@detour/testkit': ['startChaosUpstream','parseScript','InvalidScriptError','startTunnellingProxy'],
};
for (const [mod, names] of Object.entries(want)) {
  let m; try { m = await import(mod); } catch (e) { console.log(mod, 'IMPORT FAILED', e.message.split('\n')[0]); continue; }
  const missing = names.filter((n) => !(n in m));
  console.log(mod.padEnd(22), Object.keys(m).length, 'exports;', missing.length ? 'MISSING: ' + missing.join(', ') : 'all present');
}
