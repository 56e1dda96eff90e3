// The public surface of @detour/testkit, named one by one: every export here is a promise to the packages, demos
// and users that test against the chaos upstream.
export { startChaosUpstream } from './server';
export { parseScript, InvalidScriptError } from './script/parse-script';
export type {
  AnswerMode,
  BreakPoint,
  ChaosOptions,
  ChaosStats,
  ChaosUpstream,
  Fault,
  FaultRule,
  LatencyModel,
  LimiterHeaders,
  LimiterOptions,
  PrefillDialect,
  RateLimitDialect,
  RequestRecord,
  When,
} from './types';
export { createSeededRandom, type Random } from './random';
export { startTunnellingProxy, type TunnellingProxy } from './tunnelling-proxy';
