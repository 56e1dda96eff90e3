import type { HeaderSource } from '../signals/read-header';
import { readProviderSignals, type ProviderSignals } from '../signals/read-provider-signals';
import { classification, type Classification } from './classification';
import { kindPolicies, type OutcomeKind } from './outcome-kind';

/** What {@link classifyResponse} reads. */
export interface ResponseFacts {
  readonly status: number;
  readonly headers: HeaderSource;
  /** The error body, parsed or as text. Ignored for 2xx. */
  readonly body?: unknown;
  readonly nowMs: number;
  /** The provider behind the endpoint, when configured; some signals mean different things per provider. */
  readonly provider?: string | undefined;
  /** The header names are known to be lower case (a transport's `headersLowerCase`): read without checking. */
  readonly headersLowerCase?: boolean | undefined;
  /**
   * The model the request named upstream. Providers quote it in their errors ("`x` is not a valid model ID"), and a
   * caller chooses it: where the message quotes it, it is taken out before any wording that could disable or cool the
   * endpoint is read.
   */
  readonly model?: string | undefined;
}

// OpenAI's billing codes and their relatives: waiting will not clear them on this account.
const quotaCodes = new Set([
  'insufficient_quota', 'credit_balance_exhausted', 'organization_spend_limit_exceeded',
  'project_spend_limit_exceeded', 'organization_usage_limit_exceeded', 'billing_hard_limit_reached',
  'billing_not_active', 'billing_error', 'payment_required', 'access_terminated',
]);
// Anthropic's spend limit: a 400 (or 429) "You have reached your specified API usage limits. You will regain access on
// <date>". Read on a 429 or a 403; on a 400 only `billingOn400Text` is.
const quotaText = /credit balance is too low|exceeded your current quota|spend(ing)? limit|billing|insufficient (credits|balance|funds)|per[- ]day|free-models-per-day|daily limit|\blimit: 0\b|reached your specified api usage limits/i;
// A 400 quotes what the caller sent ("Unrecognized request argument supplied: per day"), so there only Anthropic's two
// sentences count, and only as the message's opening words: a caller must not disable an endpoint for everyone by
// naming a field "billing" (attack 24).
const billingOn400Text = /^\s*(your credit balance is too low|you have reached your specified api usage limits)/i;
// Of those, the limits that come back as the day goes on.
const dailyText = /per[- ]day|free-models-per-day|daily limit/i;
// OpenAI, Azure, Groq, DeepSeek, vLLM, OpenRouter ("maximum context length"), the Responses API ("context window"),
// Anthropic ("prompt is too long", "exceed context limit" when max_tokens pushes it over), Gemini ("input token
// count … exceeds the maximum number of tokens"), Bedrock ("input is too long"), Cohere ("too many tokens"), xAI
// ("maximum prompt length"), Together ("longer than the model's context length"), llama.cpp's server ("exceeds the
// available context size", type `exceed_context_size_error`), Ollama ("prompt too long; exceeded max context
// length"), Moonshot's Kimi ("exceeded model token limit"), Zhipu's z.ai ("prompt exceeds max length"), Alibaba's
// DashScope ("range of input length should be [1, 129024]"), OpenRouter's relays ("exceeds the maximum allowed input
// length").
const contextText =
  /context_length_exceeded|exceed_context_size|(maximum|max|model's) context length|context length of only|greater than the context length|context window|context limit|available context size|prompt (is )?too long|input is too long|exceeds the maximum number of tokens|too many tokens|maximum prompt length|model token limit|prompt exceeds max length|range of input length|maximum allowed input length/i;
// The wordings no server error says in passing: only these make a 500 a context overflow (Ollama answers one so).
const contextOverflowText = /context_length_exceeded|exceed_context_size|(maximum|max) context length|exceeds the available context size|prompt (is )?too long/i;
// OpenAI `content_policy_violation` and `invalid_prompt` ("flagged as potentially violating our usage policy"), Azure
// `content_filter` (ResponsibleAIPolicyViolation), OpenRouter's 403 moderation ("flagged"), Anthropic "Output blocked by
// content filtering policy", Gemini "blocked … safety".
const contentPolicyCodes = new Set(['content_policy_violation', 'content_filter', 'invalid_prompt', 'responsibleaipolicyviolation', 'moderation']);
const contentPolicyText =
  /content[ _](management |filtering )?polic|content_filter|safety system|usage polic|flagged (for|as|by)|moderation|responsibleaipolicyviolation|blocked (due to|for|by) safety/i;
const tooLargeText = /request too large|request_too_large|payload too large/i;
// OpenRouter's 402s for a request larger than what is left ("requires more credits, or fewer max_tokens … can only
// afford 27342", "More credits are required to run this request. 128000 token capacity required, 19484 available",
// "Prompt tokens limit exceeded: 64128 > 6964"), and what is left: none is a spent balance.
const affordText = /fewer max_tokens|can only afford|token capacity required|tokens limit exceeded/i;
const affordableText = /can only afford (\d+)|(\d+) available|> (\d+)/i;

/** Whether a 402 says the request is larger than what is left, and something is left (see `affordText`). */
const smallerWouldPass = (own: string): boolean => {
  if (!affordText.test(own)) return false;
  const left = affordableText.exec(own);
  return left === null || Number(left[1] ?? left[2] ?? left[3]) > 0;
};
// Groq's flex tier answers `498 capacity_exceeded` ("try again later") when the shared capacity is full.
const overloadedCodes = new Set(['overloaded_error', 'server_is_overloaded', 'slow_down', 'unavailable', 'capacity_exceeded']);
// Gemini refuses a project whose requests come from a region it does not serve (400 `FAILED_PRECONDITION`, "User
// location is not supported for the API use.", "Gemini API free tier is not available in your country. Please enable
// billing on your project in Google AI Studio."): the endpoint, not the request, is the cause, and an endpoint
// elsewhere may serve it. Gemini sets the status; the words are its own. Not "Image generation is not available in
// your country": the project's text is served there, and a caller asking for images must not disable it.
const unservedLocationText = /user location is not supported|free tier is not available in your (country|region)/i;

const lower = (value: string | undefined) => value?.toLowerCase();

const minute = 60_000;

/**
 * The longest server-directed delay Detour believes, per kind: the cooldown, any wait and the `Retry-After` relayed
 * to callers are measured with it. Rate limits reset per minute at every major provider (per-hour limits exist but are
 * rare, and a 15-minute look costs one request); an overloaded or failing server that asks for longer is guessing;
 * quotas and billing may reset daily. A larger value (`Retry-After: 999999999`) is a bug or a misreading, and must not
 * take a model away for a day.
 */
export const believedDelayCapsMs: Readonly<Record<OutcomeKind, number>> = Object.freeze({
  success: 15 * minute, // a success that used the last of a limit: the limit's reset
  rate_limited: 15 * minute,
  conflict: minute,
  overloaded: 5 * minute,
  server_error: 5 * minute,
  timeout: 5 * minute,
  network: 5 * minute,
  quota_exhausted: 24 * 60 * minute,
  auth: 24 * 60 * minute,
  request_too_large: 15 * minute,
  context_length_exceeded: 15 * minute,
  content_policy: 15 * minute,
  invalid_request: 15 * minute,
  not_found: 15 * minute,
  invalid_response: 5 * minute,
  response_too_large: 15 * minute,
  aborted: 0,
});

/**
 * What kind of spent quota a response reports, if any. `billing`: credit or a spend limit ran out, and it comes back
 * when someone pays or the period turns, which no `Retry-After` or rate-limit reset on the answer knows. `daily`: a
 * per-day limit (OpenAI's and Groq's RPD and TPD, OpenRouter's free models), whose stated wait is its reset, except
 * Gemini's per-minute `retryDelay` boilerplate on a per-day quota.
 */
type SpentQuota = 'billing' | 'daily';

const wordCharacter = /[\p{L}\p{N}_]/u;

/**
 * The provider's own words: the message with each place it quotes the model's name (standing apart from the words
 * around it, in any case, trimmed) made a NUL, which no wording matches across. A caller chooses that name, and "`Your credit balance is
 * too low` is not a valid model ID" is no spent balance; a name inside a word ("o" in "Your") is the provider's word,
 * and the NUL joins nothing ("_" taken out of "spend_limit" is no "spend limit"). Only an error's path reads it.
 */
const providerWords = (message: string, model: string | undefined): string => {
  // Found as the provider may quote it: trimmed, and in any case (a search by a case-blind pattern keeps the
  // message's own positions, where lower-casing "İ" would shift them). Not a Unicode pattern: stepping one unit past
  // a match that opens with an emoji, it would find the same match again for ever.
  const name = model?.trim() ?? '';
  if (name === '') return message;
  const quoted = new RegExp(name.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'), 'gi');
  let words = '';
  let from = 0;
  for (let found = quoted.exec(message); found !== null; found = quoted.exec(message)) {
    const at = found.index;
    const end = at + found[0].length;
    quoted.lastIndex = at + 1;
    if (at < from || wordCharacter.test(message.charAt(at - 1)) || wordCharacter.test(message.charAt(end))) continue;
    words += `${message.slice(from, at)}\u0000`;
    from = end;
  }
  const rest = message.slice(from);
  // A text body is kept to its first 500 characters, which can cut a quoted name short: the piece left is the caller's.
  const tail = rest.toLowerCase();
  if (tail.length === rest.length) {
    const lowered = name.toLowerCase();
    for (let length = Math.min(lowered.length - 1, tail.length); length > 0; length -= 1) {
      const at = tail.length - length;
      if (tail.endsWith(lowered.slice(0, length)) && !wordCharacter.test(tail.charAt(at - 1))) return `${words}${rest.slice(0, at)}\u0000`;
    }
  }
  return from === 0 ? message : words + rest;
};

const spentQuota = (status: number, signals: ProviderSignals, provider: string | undefined, own: string): SpentQuota | undefined => {
  const error = signals.error;
  // OpenRouter's 402 for a request larger than what the credit left can pay: the caller's prompt or `max_tokens`
  // decides it, and a smaller request is served.
  if (status === 402) return smallerWouldPass(own) ? undefined : 'billing';
  if (error) {
    if (quotaCodes.has(lower(error.code) ?? '') || quotaCodes.has(lower(error.type) ?? '')) return 'billing';
    // Gemini names the quota it enforced, and that decides: a per-day quota will not refill in a retry's time, a
    // per-minute one will, whatever its boilerplate message ("You exceeded your current quota, please check your
    // plan and billing details") says. A zero limit never refills.
    if (error.quotaIds.length > 0) {
      if (/\blimit: 0\b/.test(error.message)) return 'billing';
      return error.quotaIds.some((id) => /perday/i.test(id)) ? 'daily' : undefined;
    }
    if (lower(error.limitSource)?.includes('daily')) return 'daily';
    if ((status === 429 || status === 403) && quotaText.test(own)) return dailyText.test(own) ? 'daily' : 'billing';
    if (status === 400 && billingOn400Text.test(own)) return 'billing';
    if (status === 400 && lower(error.type) === 'failed_precondition' && /enable billing/i.test(own)) return 'billing';
    // Azure API Management answers a spent quota with 403 (not an authentication failure), with the renewal as its
    // Retry-After.
    if (status === 403 && /\bquota\b/i.test(own)) return 'daily';
  }
  // Groq's request headers count per day: no requests left means no more today.
  return status === 429 && provider === 'groq' && signals.exhausted.includes('requests') ? 'daily' : undefined;
};

// A 403 that says in the provider's own words that the key, organisation or account is refused (leaked, suspended,
// disabled, revoked; its region; a firewall): the endpoint's. Any other 403 is read as the model's: relays answer a
// model a token may not use with a 403 in words of their own (OneAPI's, in Chinese: "this token may not use the model
// gpt-5-pro"), and a caller asking for a model must not take the endpoint away from everyone (attack 24).
const keyRefusalText = /api[ _-]?key|subscription key|key limit|organi[sz]ation|account|project|payment|suspended|disabled|leaked|revoked|firewall|virtual network|country|region|territor|ip address|security token|oauth/i;
// A 401 that speaks of the key or the credentials is the key's; a bare one ("unauthorized", which Ollama answers for a
// cloud model while its local ones serve) may be one model's.
const keyWordsText = /\bkeys?\b|credential|authenticat|signature|\btoken\b|user not found/i;

/**
 * Whether a long cooldown concerns only the request's model on this endpoint, not the endpoint: a per-day limit on a
 * 429 (OpenAI and Groq count them per model; OpenRouter's free-models-per-day is the account's across its free
 * models, and the closest scope that spares its paid ones), a Gemini quota whose id is per model (a zero one too), a
 * 403 that quotes the model asked for whatever else it names, or whose words do not refuse the key, organisation,
 * project or account (OpenAI's `model_not_found`, a relay's refusal of a model), and a 401 that quotes the model, is
 * LiteLLM's `key_model_access_denied`, or speaks of no key or credentials. An endpoint-wide disable for these took
 * every other model away for an hour, and a caller could cause it by asking for a model the key may not use (attack
 * 24). A spent balance or spend limit is the account's, a Gemini quota per project and an Azure API Management quota
 * (a 403) the subscription's, and a key's refusal the key's: endpoint-wide.
 */
const concernsModel = (status: number, signals: ProviderSignals, quota: SpentQuota | undefined, own: string): boolean => {
  const error = signals.error;
  const quotaIds = error?.quotaIds ?? [];
  if (quota !== undefined && quotaIds.length > 0) return quotaIds.some((id) => /permodel/i.test(id));
  if (quota !== undefined) return quota === 'daily' && status !== 403;
  // A refusal that quotes the model asked for is about it, whatever else it names ("Your organization must be verified
  // to use the model `gpt-image-1`"; LiteLLM's 401 "key not allowed to access model … Tried to access x").
  const quotesModel = own !== (error?.message ?? '');
  // The provider's labels too (`invalid_api_key`): no caller writes them.
  const said = `${own} ${error?.code ?? ''} ${error?.type ?? ''}`;
  if (status === 401) return quotesModel || lower(error?.type) === 'key_model_access_denied' || !(keyRefusalText.test(said) || keyWordsText.test(said));
  return status === 403 && (lower(error?.code) === 'model_not_found' || quotesModel || !keyRefusalText.test(said));
};

/**
 * Whether a spent quota's delay is believed: a billing quota's only when it is the reset in its error body, a daily
 * one's unless it is a Gemini `retryDelay`. Any other delay on a spent quota (a `Retry-After: 1` on
 * `insufficient_quota`) would have the spent key asked again in seconds: the disable is then the hold that grows
 * (`cooldown.firstDisableMs`, doubled with each refusal in a row up to `cooldown.disableMs`).
 */
const believedQuotaDelay = (quota: SpentQuota, source: ProviderSignals['delaySource']): boolean =>
  quota === 'billing' ? source === 'body-reset' : source !== 'body-retry-delay';

const kindOf = (status: number, signals: ProviderSignals, quota: SpentQuota | undefined, own: string): OutcomeKind => {
  const error = signals.error;
  const code = lower(error?.code);
  const type = lower(error?.type);
  const message = error?.message ?? '';
  if (quota) return 'quota_exhausted';
  if (overloadedCodes.has(code ?? '') || overloadedCodes.has(type ?? '')) return status >= 500 || status === 429 || status === 498 ? 'overloaded' : 'server_error';
  if (code === 'context_length_exceeded' || contextText.test(message) || contextText.test(type ?? '')) {
    if (status === 400 || status === 413 || status === 422) return 'context_length_exceeded';
    if (status === 500 && (contextOverflowText.test(message) || contextOverflowText.test(type ?? ''))) return 'context_length_exceeded';
  }
  if (contentPolicyCodes.has(code ?? '') || contentPolicyCodes.has(type ?? '') || contentPolicyText.test(message)) {
    if (status === 400 || status === 403 || status === 422) return 'content_policy';
  }
  if (status === 400 && type === 'failed_precondition' && unservedLocationText.test(own)) return 'auth';
  switch (status) {
    case 401:
    case 403:
      return 'auth';
    case 408:
      return 'timeout';
    case 409:
    // 425 (Too Early, RFC 8470) is about when the request came, not what it asked: it may be sent again.
    case 425:
      return 'conflict';
    // 421 (Misdirected Request): the server is not the one this endpoint's URL should reach. The transport already
    // sends it again once on a new connection; one that still answers 421 is misconfigured (its host or SNI), and
    // counts against the endpoint so that it leaves rotation.
    case 421:
      return 'server_error';
    case 413:
    // A 402 that is no spent balance: more than the credit left can pay for (see `smallerWouldPass`).
    case 402:
      return 'request_too_large';
    case 404:
      return 'not_found';
    case 429:
      // "Request too large … Limit 30000, Requested 34307": only an endpoint with a larger limit can serve it. A
      // plain TPM 429 ("Limit 6000, Used 5990, Requested 120") is an ordinary rate limit.
      return tooLargeText.test(message) ? 'request_too_large' : 'rate_limited';
    case 503:
    case 529:
    // Groq's flex tier when its capacity is full, whatever the body.
    case 498:
      return 'overloaded';
    case 504:
      return 'timeout';
    default:
      if (status >= 500) return 'server_error';
      if (status >= 400) return 'invalid_request';
      return 'success';
  }
};

/**
 * Classifies an upstream response from its status, headers and error body. The body decides what the status
 * alone cannot: a 429 carrying `insufficient_quota` is a billing state, not congestion, so it is never retried
 * on that endpoint, unlike in the official SDKs which look only at the status. `x-should-retry` overrides the
 * same-endpoint retry decision either way; failover stays allowed.
 *
 * Server delays are capped per kind ({@link believedDelayCapsMs}).
 *
 * @example classifyResponse({ status: 429, headers: { 'retry-after': '2' }, body: '', nowMs }).kind // 'rate_limited'
 */
export const classifyResponse = ({ status, headers, body, nowMs, provider, headersLowerCase, model }: ResponseFacts): Classification => {
  const signals = readProviderSignals({ headers, body: status >= 400 ? body : undefined, nowMs, headersLowerCase });
  const own = signals.error === undefined ? '' : providerWords(signals.error.message, model);
  const quota = spentQuota(status, signals, provider, own);
  const kind = kindOf(status, signals, quota, own);
  const policy = kindPolicies[kind];
  const reason = kind === 'success'
    ? `HTTP ${status}`
    : `HTTP ${status} ${kind}${signals.error?.code ? ` (${signals.error.code})` : ''}`;
  const believed = quota === undefined || believedQuotaDelay(quota, signals.delaySource) ? signals.delayMs : undefined;
  const perModel = policy.cooldown === 'long' && concernsModel(status, signals, quota, own);
  const delayMs = believed === undefined ? undefined : Math.min(believed, believedDelayCapsMs[kind]);
  return classification(kind, policy, {
    status,
    reason,
    signals,
    delayMs,
    retrySame: kind === 'success' ? false : signals.shouldRetry ?? policy.retrySame,
    perModel,
    // By the status, not the kind: a 500 whose body says `overloaded` may have done the work all the same. A 503 only
    // with a provider's word (a delay, an error with a type or code): a proxy's plain-text 503 ("upstream connect
    // error or disconnect/reset before headers", Envoy's) may come after the upstream read the request.
    unprocessed: status === 529 || (status >= 400 && status < 500)
      || (status === 503 && (signals.delaySource !== undefined || signals.error?.type !== undefined || signals.error?.code !== undefined)),
  });
};
