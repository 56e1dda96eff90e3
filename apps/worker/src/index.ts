// The Detour gateway, as a library: the shared app, the config loader and the Node starter.
export { createApp, type AppParts } from './app';
export { gatewayConfigSchema, type GatewayConfigInput } from './config/config-schema';
export { loadConfig, type GatewayConfig, type SecretSource } from './config/load-config';
export type { TracingMode } from './config/tracing-modes';
export { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics';
export { startGateway, type RunningGateway, type StartGatewayOptions } from './node/start-gateway';
