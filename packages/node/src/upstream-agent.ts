import { isIPv4 } from 'node:net';
import { InvalidOptionsError } from '@detour/core';
import { Agent, type Dispatcher, EnvHttpProxyAgent, Pool } from 'undici';
import type { AgentOptions } from './agent-options-schema';

/** What the transport needs of a dispatcher: undici's `Agent`, or the proxy-aware one below. */
export type UpstreamDispatcher = Pick<Dispatcher, 'dispatch' | 'close' | 'destroy'>;

/** The environment variables a proxy is read from, lower case first, as curl reads them. */
const httpsProxyNames = ['https_proxy', 'HTTPS_PROXY'] as const;
const httpProxyNames = ['http_proxy', 'HTTP_PROXY'] as const;

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
 * A proxy URL as written (`path` names the setting). Without a scheme (`proxy.corp:3128`, which curl accepts) it is
 * http. One that is no http(s) URL, or whose credentials do not decode, throws naming the setting and never its value
 * (it may hold a password).
 */
const proxyUrl = (text: string, path: string): string => {
  const written = text.includes('://') ? text : `http://${text}`;
  let url: URL | undefined;
  try {
    url = new URL(written);
    // undici decodes the credentials for `Proxy-Authorization`: a stray `%` would fail there, naming nothing.
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new InvalidOptionsError([{ path, message: 'expected an http(s) proxy URL, such as http://proxy.corp:3128 (credentials percent-encoded)' }], 'router options');
  }
  return written;
};

/**
 * The pool that asks the proxy for tunnels. A proxy that closes the connection in answer to CONNECT made undici's own
 * pool take the failure for a recoverable one and ask again at once, some 5,000 times a second for as long as the
 * request stayed queued: here it fails the tunnel. Its answer is awaited at most `connectTimeoutMs` (undici's default
 * was 300 s, and a proxy that never answered held the attempt to its deadline and the pool's close for 5 minutes).
 */
class TunnelPool extends Pool {
  override async connect(options: Dispatcher.ConnectOptions): Promise<Dispatcher.ConnectData> {
    try {
      return await super.connect(options);
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== 'UND_ERR_SOCKET') throw error;
      throw Object.assign(new Error('the egress proxy closed the connection in answer to CONNECT', { cause: error }), { code: 'ECONNRESET' });
    }
  }
}

// A loopback endpoint (a local vLLM, a sidecar) is never behind a remote proxy, which could not reach it: exempt
// whatever NO_PROXY says, as Go's `ProxyFromEnvironment` exempts it.
const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === 'localhost.' || hostname.endsWith('.localhost') || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));

/**
 * The undici dispatcher upstream requests go through: a keep-alive pool per origin, behind the egress proxy that
 * `agent.proxy` or the environment names for the endpoint's scheme (see {@link AgentOptions}), if any. Throws
 * `InvalidOptionsError` naming a proxy setting that holds no http(s) URL, so a misconfigured host fails at start
 * rather than on every request.
 */
export const createUpstreamAgent = (options: AgentOptions, env: Environment = process.env): UpstreamDispatcher => {
  const settings = {
    connections: options.connections ?? null,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs },
    // Waiting for headers is governed by core's deadline and attempt timeout, not a second clock.
    headersTimeout: 0,
    bodyTimeout: options.bodyIdleTimeoutMs,
  };
  const direct = new Agent(settings);
  const { proxy } = options;
  if (proxy === false) return direct;
  const configured = (names: readonly string[]) => {
    if (proxy !== undefined) return proxyUrl(proxy, 'agent.proxy');
    const setting = fromEnvironment(env, names);
    return setting && proxyUrl(setting.value, `environment ${setting.name}`);
  };
  const httpsProxy = configured(httpsProxyNames);
  const httpProxy = configured(httpProxyNames);
  const noProxy = fromEnvironment(env, ['no_proxy', 'NO_PROXY'])?.value ?? '';
  // `*` turns every proxy off (undici reads it only as the whole value).
  if ((!httpsProxy && !httpProxy) || noProxy.split(/[\s,]+/).includes('*')) return direct;
  const behind = (uri: string) =>
    new EnvHttpProxyAgent({
      ...settings,
      httpsProxy: uri,
      httpProxy: uri,
      noProxy,
      clientFactory: (origin: URL, poolOptions: Pool.Options) => new TunnelPool(origin, { ...poolOptions, headersTimeout: options.connectTimeoutMs }),
      // The tunnel's connections replace `connect`: the same timeout for the proxy's and the endpoint's handshakes.
      proxyTls: { timeout: options.connectTimeoutMs },
      requestTls: { timeout: options.connectTimeoutMs },
    } as EnvHttpProxyAgent.Options);
  // Each scheme its own proxy or none: undici's sends https through HTTP_PROXY when HTTPS_PROXY is unset.
  const viaHttps = httpsProxy ? behind(httpsProxy) : direct;
  const viaHttp = httpProxy ? (httpProxy === httpsProxy ? viaHttps : behind(httpProxy)) : direct;
  const routes = new Map<string, UpstreamDispatcher>();
  const routeOf = (origin: string): UpstreamDispatcher => {
    let route = routes.get(origin);
    if (route === undefined) {
      const { protocol, hostname } = new URL(origin);
      route = isLoopback(hostname.toLowerCase()) ? direct : protocol === 'https:' ? viaHttps : viaHttp;
      if (routes.size < 1000) routes.set(origin, route);
    }
    return route;
  };
  const all = [...new Set([direct, viaHttps, viaHttp])];
  return {
    dispatch: (dispatched, handler) => routeOf(String(dispatched.origin)).dispatch(dispatched, handler),
    close: (() => Promise.all(all.map((agent) => agent.close())).then(() => undefined)) as UpstreamDispatcher['close'],
    destroy: (() => Promise.all(all.map((agent) => agent.destroy())).then(() => undefined)) as UpstreamDispatcher['destroy'],
  };
};
