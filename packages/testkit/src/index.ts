export { startChaosUpstream } from './server';
export { parseScript, InvalidScriptError } from './script/parse-script';
export type {
  ChaosOptions,
  ChaosStats,
  ChaosUpstream,
  Fault,
  FaultRule,
  LatencyModel,
  LimiterOptions,
  RateLimitDialect,
  RequestRecord,
  When,
} from './types';
