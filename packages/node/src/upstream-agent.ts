import { InvalidOptionsError } from '@detour/core';
import { Agent, type Dispatcher, EnvHttpProxyAgent } from 'undici';
import type { AgentOptions } from './agent-options-schema';

/** The environment variables a proxy is read from, most specific first, as curl and Go read them. */
const httpsProxyNames = ['https_proxy', 'HTTPS_PROXY'] as const;
const httpProxyNames = ['http_proxy', 'HTTP_PROXY'] as const;

// A loopback endpoint (a local vLLM, a sidecar) is never behind a remote proxy, which could not reach it: exempt
// whatever NO_PROXY says, as Go's `ProxyFromEnvironment` exempts it.
const loopbackHosts = 'localhost,127.0.0.1,[::1]';

type Environment = Readonly<Record<string, string | undefined>>;

/** The first of `names` set to something in `env`, with its name. */
const fromEnvironment = (env: Environment, names: readonly string[]): { name: string; value: string } | undefined => {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
};

/**
 * A proxy URL as the environment gives it. Without a scheme (`proxy.corp:3128`, which curl accepts) it is http; a
 * value that is no http(s) URL then throws, naming the variable and never its value (it may hold a password).
 */
const proxyUrl = (setting: { name: string; value: string }): string => {
  const text = setting.value.includes('://') ? setting.value : `http://${setting.value}`;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // Reported below.
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidOptionsError([{ path: `environment ${setting.name}`, message: 'expected an http(s) proxy URL, such as http://proxy.corp:3128' }], 'router options');
  }
  return text;
};

/**
 * The undici dispatcher upstream requests go through: a keep-alive pool per origin, behind the egress proxy that
 * `agent.proxy` or the environment names (see {@link AgentOptions}), if any. Throws `InvalidOptionsError` naming a
 * proxy variable that holds no http(s) URL, so a misconfigured host fails at start rather than on every request.
 */
export const createUpstreamAgent = (options: AgentOptions, env: Environment = process.env): Dispatcher => {
  const settings = {
    connections: options.connections ?? null,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs },
    // Waiting for headers is governed by core's deadline and attempt timeout, not a second clock.
    headersTimeout: 0,
    bodyTimeout: options.bodyIdleTimeoutMs,
  };
  if (options.proxy === false) return new Agent(settings);
  const fromVariables = (names: readonly string[]) => {
    const setting = fromEnvironment(env, names);
    return setting && proxyUrl(setting);
  };
  const httpsProxy = options.proxy ?? fromVariables(httpsProxyNames);
  const httpProxy = options.proxy ?? fromVariables(httpProxyNames);
  if (!httpsProxy && !httpProxy) return new Agent(settings);
  const noProxy = fromEnvironment(env, ['no_proxy', 'NO_PROXY'])?.value;
  return new EnvHttpProxyAgent({
    ...settings,
    // Each unset one is read from the environment by undici: an empty string keeps that scheme direct.
    httpsProxy: httpsProxy || '',
    httpProxy: httpProxy || '',
    noProxy: noProxy ? `${noProxy},${loopbackHosts}` : loopbackHosts,
    // The tunnel's connections replace `connect`: the same timeout for the proxy's and the endpoint's handshakes.
    proxyTls: { timeout: options.connectTimeoutMs },
    requestTls: { timeout: options.connectTimeoutMs },
  });
};
