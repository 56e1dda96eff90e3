import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyResponse } from './classify-response';

const nowMs = 1_700_000_000_000;
const classify = (status: number, body: unknown = '', headers: Record<string, string> = {}, provider?: string) =>
  classifyResponse({ status, headers, body: typeof body === 'string' ? body : JSON.stringify(body), nowMs, provider });
const openai = (code: string, message = 'x', type = code) => ({ error: { message, type, code, param: null } });

describe('classifyResponse', () => {
  it.each([
    ['429 rate_limit_exceeded', 'rate_limited', 429, openai('rate_limit_exceeded', 'Please try again in 1.5s.', 'requests')],
    ['429 insufficient_quota', 'quota_exhausted', 429, openai('insufficient_quota', 'You exceeded your current quota')],
    ['429 spend limit code', 'quota_exhausted', 429, openai('organization_spend_limit_exceeded')],
    ['402 anything', 'quota_exhausted', 402, { error: { message: 'Payment required' } }],
    ['Anthropic 400 credit balance', 'quota_exhausted', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } }],
    ['Anthropic 402 billing_error', 'quota_exhausted', 402, { type: 'error', error: { type: 'billing_error', message: 'billing' } }],
    ['Anthropic 529 overloaded', 'overloaded', 529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ['OpenAI 503 slow_down', 'overloaded', 503, openai('slow_down')],
    ['OpenAI 503 server_is_overloaded', 'overloaded', 503, openai('server_is_overloaded')],
    ['plain 500', 'server_error', 500, openai('server_error', 'oops', 'server_error')],
    ['502', 'server_error', 502, ''],
    ['504', 'timeout', 504, { type: 'error', error: { type: 'timeout_error', message: 'timeout' } }],
    ['408', 'timeout', 408, ''],
    ['401', 'auth', 401, openai('invalid_api_key')],
    ['403', 'auth', 403, { error: { message: 'forbidden' } }],
    ['Azure APIM 403 quota', 'quota_exhausted', 403, { statusCode: 403, message: 'Out of call volume quota. Quota will be replenished in 00:01:00.' }],
    ['400 context_length_exceeded', 'context_length_exceeded', 400, openai('context_length_exceeded', "This model's maximum context length is 8192 tokens.", 'invalid_request_error')],
    ['Anthropic 400 prompt is too long', 'context_length_exceeded', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 208000 tokens > 200000 maximum' } }],
    ['Anthropic 400 input + max_tokens over the limit', 'context_length_exceeded', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again' } }],
    ['Responses API context window', 'context_length_exceeded', 400, { error: { message: 'Your input exceeds the context window of this model. Please adjust your input and try again.', type: 'invalid_request_error', code: 'context_length_exceeded', param: 'input' } }],
    ['Mistral too large for the context', 'context_length_exceeded', 400, { object: 'error', message: 'Prompt contains 40000 tokens and 0 draft tokens, too large for model with 32768 maximum context length', type: 'invalid_request_error', code: '3051' }],
    ['Gemini input token count', 'context_length_exceeded', 400, [{ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' } }]],
    ['Bedrock input is too long', 'context_length_exceeded', 400, { message: 'Input is too long for requested model.' }],
    ['vLLM 400 maximum context length', 'context_length_exceeded', 400, { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).", type: 'BadRequestError', code: 400 }],
    ['OpenAI content_policy_violation', 'content_policy', 400, openai('content_policy_violation', 'Your request was rejected as a result of our safety system.', 'invalid_request_error')],
    ['OpenAI invalid_prompt', 'content_policy', 400, openai('invalid_prompt', 'Invalid prompt: your prompt was flagged as potentially violating our usage policy. Please try again with a different prompt.', 'invalid_request_error')],
    ['Azure content_filter', 'content_policy', 400, { error: { message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", type: null, param: 'prompt', code: 'content_filter', status: 400, innererror: { code: 'ResponsibleAIPolicyViolation' } } }],
    ['OpenRouter 403 moderation', 'content_policy', 403, { error: { code: 403, message: 'openai/gpt-4o requires moderation on OpenRouter. Your input was flagged for "violence".', metadata: { reasons: ['violence'], flagged_input: '…' } } }],
    ['Anthropic content filtering', 'content_policy', 400, { type: 'error', error: { type: 'invalid_request_error', message: 'Output blocked by content filtering policy' } }],
    ['429 request too large', 'request_too_large', 429, openai('rate_limit_exceeded', 'Request too large for gpt-4.1 on tokens per min (TPM): Limit 30000, Requested 34307.', 'tokens')],
    ['413', 'request_too_large', 413, { type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum size' } }],
    ['400 invalid', 'invalid_request', 400, openai('invalid_value', 'bad temperature', 'invalid_request_error')],
    ['422', 'invalid_request', 422, { error: { message: 'unprocessable' } }],
    ['404', 'not_found', 404, openai('model_not_found')],
    ['409', 'conflict', 409, ''],
    ['OpenRouter daily 429', 'quota_exhausted', 429, { error: { code: 429, message: 'Rate limit exceeded: free-models-per-day', metadata: { headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(nowMs + 1000) } } } }],
    ['Gemini per-minute 429', 'rate_limited', 429, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded', details: [{ violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] }, { retryDelay: '46s' }] } }]],
    ['Gemini per-day 429', 'quota_exhausted', 429, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded', details: [{ violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }] } }]],
    ['Groq TPM 429 naming the tokens requested', 'rate_limited', 429, openai('rate_limit_exceeded', 'Rate limit reached for model `llama` on tokens per minute (TPM): Limit 6000, Used 5990, Requested 120. Please try again in 1s.', 'tokens')],
    ['Gemini 503', 'overloaded', 503, [{ error: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded.' } }]],
    ['200', 'success', 200, ''],
    // Attack 24: what real providers send.
    ['Groq 498 capacity_exceeded (flex tier)', 'overloaded', 498, { error: { message: 'Request failed: flex tier capacity exceeded. Please try again later.', type: 'capacity_exceeded', code: 'capacity_exceeded' } }],
    ['a bare 498', 'overloaded', 498, ''],
    ['xAI maximum prompt length', 'context_length_exceeded', 400, { error: { message: "This model's maximum prompt length is 131072 but the request contains 537812 tokens", type: 'invalid_request_error' } }],
    ["Together longer than the model's context length", 'context_length_exceeded', 400, { error: { message: "The input (516368 tokens) is longer than the model's context length (262144 tokens).", type: 'invalid_request_error', param: null, code: null } }],
    ['llama.cpp exceed_context_size_error', 'context_length_exceeded', 400, { error: { code: 400, message: 'request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 9412, n_ctx: 8192 } }],
    ['Ollama 400 prompt too long', 'context_length_exceeded', 400, { error: { message: 'prompt too long; exceeded max context length by 1200 tokens', type: 'invalid_request_error', param: null, code: null } }],
    ['Ollama 500 prompt too long', 'context_length_exceeded', 500, { error: { message: 'prompt too long; exceeded max context length by 1200 tokens', type: 'api_error', param: null, code: null } }],
    ['Kimi model token limit', 'context_length_exceeded', 400, { error: { message: 'Invalid request: Your request exceeded model token limit: 262144 (requested: 300000)', type: 'invalid_request_error' } }],
    ['z.ai prompt exceeds max length', 'context_length_exceeded', 400, { error: { code: '1261', message: 'Prompt exceeds max length' } }],
    ['DashScope range of input length', 'context_length_exceeded', 400, { error: { message: '<400> InternalError.Algo.InvalidParameter: Range of input length should be [1, 129024]', type: 'invalid_request_error', param: null, code: 'invalid_parameter_error' } }],
    ['OpenRouter relay maximum allowed input length', 'context_length_exceeded', 400, { error: { message: 'Input length 300000 exceeds the maximum allowed input length of 262144 tokens.', code: 400 } }],
    ['a 500 that names the context window in passing', 'server_error', 500, { error: { message: 'internal error while building the context window', type: 'server_error' } }],
    ['Gemini region block', 'auth', 400, [{ error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } }]],
  ] as const)('reads %s as %s', (_, kind, status, body) => {
    expect(classify(status, body).kind).toBe(kind);
  });

  it(`retries Groq's 498 after a backoff and fails over, cooling the endpoint briefly`, () => {
    expect(classify(498, openai('capacity_exceeded'))).toMatchObject({ retrySame: true, failover: true, breaker: 'failure', cooldown: 'short', unprocessed: true });
  });

  it("fails a Gemini region block over to another endpoint, and keeps this one out for long (its location won't change)", () => {
    expect(classify(400, [{ error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } }])).toMatchObject({ retrySame: false, failover: true, cooldown: 'long' });
  });

  it.each([
    ['Azure OpenAI', "Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.", 6000],
    ['Azure API Management', 'Rate limit is exceeded. Try again in 5 seconds.', 5000],
    ['OpenAI', 'Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2.5s.', 2500],
  ])('cools a 429 for the wait its %s message asks for when no header says it', (_, message, delayMs) => {
    expect(classify(429, { error: { code: '429', message } }).delayMs).toBe(delayMs);
    expect(classify(429, message).delayMs).toBe(delayMs);
  });

  it.each([
    ["OpenAI's RPD", true, 429, openai('rate_limit_exceeded', 'Rate limit reached for gpt-4o-mini in organization org-x on requests per day (RPD): Limit 10000, Used 10000, Requested 1.', 'requests')],
    ['a Gemini per-model daily quota', true, 429, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded', details: [{ violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }] } }]],
    ['a Gemini per-model zero quota', true, 429, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded for metric: x, limit: 0', details: [{ violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] }] } }]],
    ['a Gemini per-project daily quota', false, 429, [{ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded', details: [{ violations: [{ quotaId: 'GenerateRequestsPerDayPerProject' }] }] } }]],
    ["OpenAI's 403 model_not_found", true, 403, openai('model_not_found', 'Project `proj_abc` does not have access to model `gpt-5-pro`', 'invalid_request_error')],
    ["a 403 that names the model", true, 403, openai('permission_denied', 'You are not allowed to sample from this model', 'invalid_request_error')],
    // A 403 that names no model is the key's (review of attack 24): a leaked, suspended or disabled key, a region.
    ["Gemini's leaked key", false, 403, [{ error: { code: 403, message: 'Your API key was reported as leaked. Please use another API key.', status: 'PERMISSION_DENIED' } }]],
    ["OpenAI's unsupported region", false, 403, openai('unsupported_country_region_territory', 'Country, region, or territory not supported', 'request_forbidden')],
    ["Anthropic's disabled organization", false, 403, { type: 'error', error: { type: 'permission_error', message: 'This organization has been disabled.' } }],
    ["Azure's firewall", false, 403, { error: { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' } }],
    ["Gemini's free tier outside its countries", false, 400, [{ error: { code: 400, message: 'Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.', status: 'FAILED_PRECONDITION' } }]],
    ['insufficient_quota', false, 429, openai('insufficient_quota')],
    ['a 401', false, 401, openai('invalid_api_key', 'Incorrect API key provided: sk-****abcd.')],
    ['an Azure API Management quota', false, 403, { statusCode: 403, message: 'Out of call volume quota. Quota will be replenished in 00:01:00.' }],
    ["Anthropic's credit balance", false, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } }],
  ] as const)("scopes the long cooldown of %s to the model: %s", (_, perModel, status, body) => {
    expect(classify(status, body)).toMatchObject({ cooldown: 'long', perModel });
  });

  it("reads the provider's own words around a model name that would match them (review of attack 24)", () => {
    const body = { error: { message: 'You exceeded your current quota, please check your plan and billing details.' } };
    expect(classifyResponse({ status: 429, headers: {}, body, nowMs, model: 'billing-assistant' }).kind).toBe('quota_exhausted');
    const rpd = { error: { message: 'Rate limit reached for summarize-per-day in organization org-x on requests per day (RPD): Limit 10, Used 10.' } };
    expect(classifyResponse({ status: 429, headers: {}, body: rpd, nowMs, model: 'summarize-per-day' })).toMatchObject({ kind: 'quota_exhausted', perModel: true });
    const tpm = { error: { message: 'Rate limit reached for summarize-per-day in organization org-x on tokens per min (TPM): Limit 10, Used 10.' } };
    expect(classifyResponse({ status: 429, headers: {}, body: tpm, nowMs, model: 'summarize-per-day' }).kind).toBe('rate_limited');
  });

  it('takes out only a model name that stands apart, and joins nothing where it was (second review of attack 24)', () => {
    const at = (status: number, body: unknown, model: string) => classifyResponse({ status, headers: {}, body, nowMs, model });
    // "_" taken out of "spend_limit" is no "spend limit".
    const rpm = { error: { message: 'Rate limit reached: org spend_limit window requests per min (RPM): Limit 3, Used 3.', code: 'rate_limit_exceeded' } };
    expect(at(429, rpm, '_').kind).toBe('rate_limited');
    // A name inside the provider's words ("o" in "Your") leaves them whole.
    const credit = { type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } };
    for (const model of ['o', 'c', 'a', 'r']) expect(at(400, credit, model).kind).toBe('quota_exhausted');
    const located = [{ error: { code: 400, message: 'User location is not supported for the API use.', status: 'FAILED_PRECONDITION' } }];
    for (const model of ['o', 't']) expect(at(400, located, model).kind).toBe('auth');
    // A quoted model whose name says "quota" is the model's, as any other's.
    const access = { error: { message: 'Project `proj_abc` does not have access to model `quota-bot`', code: 'model_not_found' } };
    expect(at(403, access, 'quota-bot')).toMatchObject({ kind: 'auth', perModel: true });
  });

  it("reads a 403 as the model's unless the provider's own words refuse the key (third review of attack 24)", () => {
    const at = (body: unknown, model: string) => classifyResponse({ status: 403, headers: {}, body, nowMs, model });
    // OneAPI's refusal of a model a token may not use, in Chinese, for any name a caller picks (empty, blank, trimmed).
    const relay = (name: string) => ({ error: { message: `\u8be5\u4ee4\u724c\u65e0\u6743\u4f7f\u7528\u6a21\u578b\uff1a${name}` } });
    for (const model of ['gpt-5-pro', '', ' ', 'gpt-5-pro ']) expect(at(relay(model.trim()), model)).toMatchObject({ kind: 'auth', perModel: true });
    // A case the provider changed: the name's words stay, and still refuse nothing of the key's.
    expect(at({ error: { message: 'Project `proj_abc` does not have access to model `gpt-4o quota`' } }, 'GPT-4o QUOTA')).toMatchObject({ perModel: true });
    expect(at({ error: { message: 'Your API key has been suspended.' } }, 'gpt-4.1')).toMatchObject({ kind: 'auth', perModel: false });
  });

  it('finds the quoted model by a case-blind search that keeps positions, and reads refusals that quote it as its own (fourth review)', () => {
    const at = (status: number, body: unknown, model: string) => classifyResponse({ status, headers: {}, body, nowMs, model });
    // "İ" lower-cases to two characters: a search on a lowered copy lost the name, and its words read as the provider's.
    const relay = (name: string) => ({ error: { message: `\u8be5\u4ee4\u724c\u65e0\u6743\u4f7f\u7528\u6a21\u578b\uff1a${name}` } });
    expect(at(403, relay('gpt-4o \u0130 account'), 'gpt-4o \u0130 account')).toMatchObject({ kind: 'auth', perModel: true });
    expect(at(403, relay('\u0130 quota'), '\u0130 quota')).toMatchObject({ kind: 'auth', perModel: true });
    expect(at(400, { error: { message: 'Your credit balance is too low \u0130 is not a valid model ID', code: 400 } }, 'Your credit balance is too low \u0130').kind).toBe('invalid_request');
    // OpenAI's verification refusal names the organisation, and is the model's.
    expect(at(403, { error: { message: 'Your organization must be verified to use the model `gpt-image-1`. Please go to: https://platform.openai.com/settings/organization/general', type: 'invalid_request_error', code: null } }, 'gpt-image-1')).toMatchObject({ kind: 'auth', perModel: true });
    // LiteLLM refuses a model a key may not use with 401.
    const litellm = { error: { message: 'key not allowed to access model. This key can only access models=[\'gpt-4.1\']. Tried to access claude-sonnet-4-20250514', type: 'key_model_access_denied', param: 'model', code: '401' } };
    expect(at(401, litellm, 'claude-sonnet-4-20250514')).toMatchObject({ kind: 'auth', perModel: true });
    expect(at(401, { error: { message: 'Incorrect API key provided: sk-****abcd.', code: 'invalid_api_key' } }, 'gpt-4.1')).toMatchObject({ kind: 'auth', perModel: false });
    // A key's own limits and tokens are the key's.
    expect(at(403, { error: { message: 'Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys', code: 403 } }, 'openai/gpt-4.1')).toMatchObject({ perModel: false });
    expect(at(403, { message: 'The security token included in the request is invalid.' }, 'anthropic.claude-3')).toMatchObject({ perModel: false });
    // Gemini refuses images in some countries and serves text there: no disable.
    expect(at(400, [{ error: { code: 400, message: 'Image generation is not available in your country.', status: 'FAILED_PRECONDITION' } }], 'gemini-2.5-flash').kind).toBe('invalid_request');
  });

  it('ends and never throws, whatever model a caller names and wherever the error quotes it (a law)', () => {
    const seed = 20261207;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.nat(80), fc.constantFrom(400, 401, 402, 403, 404, 429, 500), (model, text, cut, status) => {
        const message = `${text.slice(0, cut)}${model}${text.slice(cut)} ${model}`;
        const outcome = classifyResponse({ status, headers: {}, body: { error: { message, code: null } }, nowMs, model });
        return typeof outcome.kind === 'string';
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('never loops or throws on a model name a caller picks (fifth review)', () => {
    const at = (status: number, body: unknown, model: string) => classifyResponse({ status, headers: {}, body, nowMs, model });
    // A name that opens with an emoji: a Unicode pattern stepped into its middle and found it again for ever.
    const missing = (name: string) => ({ error: { message: `The model \`${name}\` does not exist or you do not have access to it.`, code: 'model_not_found' } });
    for (const model of ['\u{1F600}', '\u{1F600}x', 'a \u{1F600}']) expect(at(404, missing(model), model).kind).toBe('not_found');
    // A pattern of a long name overflowed the stack in Unicode mode.
    expect(at(404, missing('m'.repeat(13_000)), 'm'.repeat(13_000)).kind).toBe('not_found');
  });

  it("reads a 402 a smaller request would pass, a bare 401 and a project's refusal as they are meant (fifth review)", () => {
    const at = (status: number, body: unknown, model: string) => classifyResponse({ status, headers: {}, body, nowMs, model });
    // OpenRouter: the caller's max_tokens, not a spent balance.
    const afford = { error: { message: 'This request requires more credits, or fewer max_tokens. You requested up to 1000000 tokens, but can only afford 27342. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account', code: 402 } };
    expect(at(402, afford, 'openai/gpt-4.1')).toMatchObject({ kind: 'request_too_large', cooldown: 'none', failover: true });
    expect(at(402, { error: { message: 'Insufficient credits', code: 402 } }, 'openai/gpt-4.1')).toMatchObject({ kind: 'quota_exhausted', perModel: false });
    // Nothing left is a spent balance, however it is worded (a key's monthly limit, sixth review).
    const none = { error: { message: 'This request requires more credits, or fewer max_tokens. You requested up to 32000 tokens, but can only afford 0. To increase, visit https://openrouter.ai/settings/keys and create a key with a higher monthly limit', code: 402 } };
    expect(at(402, none, 'openai/gpt-4.1')).toMatchObject({ kind: 'quota_exhausted', perModel: false });
    for (const message of ['Prompt tokens limit exceeded: 64128 > 6964. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account', 'More credits are required to run this request. 128000 token capacity required, 19484 available. To increase, visit https://openrouter.ai/settings/credits']) {
      expect(at(402, { error: { message, code: 402 } }, 'openai/gpt-4.1')).toMatchObject({ kind: 'request_too_large', cooldown: 'none' });
    }
    // OpenRouter's answer for a deleted or expired key.
    expect(at(401, { error: { message: 'User not found.', code: 401 } }, 'openai/gpt-4.1')).toMatchObject({ kind: 'auth', perModel: false });
    // Ollama refuses a cloud model with a bare 401 while its local ones serve.
    expect(at(401, { error: 'unauthorized' }, 'gemma4:31b-cloud')).toMatchObject({ kind: 'auth', perModel: true });
    // Gemini and Bedrock refusals of the project or its payment are the key's.
    expect(at(403, [{ error: { code: 403, message: 'Your project has been denied access. Please contact support.', status: 'PERMISSION_DENIED' } }], 'gemini-2.5-pro')).toMatchObject({ perModel: false });
    expect(at(403, { message: 'Model access is denied due to INVALID_PAYMENT_INSTRUMENT:A valid payment instrument must be provided.' }, 'anthropic.claude-sonnet-4')).toMatchObject({ perModel: false });
  });

  it('reads a quoted model name cut short at the end of a text body as the caller\'s (third review of attack 24)', () => {
    const model = `insufficient credits ${'z'.repeat(200)}`;
    const body = `${'x'.repeat(460)} model=${model}`;
    expect(classifyResponse({ status: 429, headers: {}, body, nowMs, model }).kind).toBe('rate_limited');
  });

  it("reads LM Studio's context overflow (second review of attack 24)", () => {
    expect(classify(400, { error: { message: 'Trying to keep the first 40000 tokens when context the overflows. However, the model is loaded with context length of only 32768 tokens, which is not enough.' } }).kind).toBe('context_length_exceeded');
    expect(classify(400, { error: { message: 'The number of tokens to keep from the initial prompt is greater than the context length (n_keep: 40000>= n_ctx: 32768)' } }).kind).toBe('context_length_exceeded');
  });

  it('reads no context overflow in words a 400 quotes from the request (review of attack 24)', () => {
    const echoed = { object: 'error', message: "[{'type': 'string_type', 'loc': ('body', 'messages', 0, 'content'), 'msg': 'Input should be a valid string', 'input': 'what is the context length of a model'}]", type: 'BadRequestError', code: 400 };
    expect(classify(400, echoed).kind).toBe('invalid_request');
    expect(classify(400, openai('invalid_schema', "Invalid schema for function 'f': property 'context size' is not allowed", 'invalid_request_error')).kind).toBe('invalid_request');
  });

  it('reads no spent quota or region block in words a 400 quotes from the request: a field or a model name', () => {
    const echo = (field: string) => openai('unrecognized', `Unrecognized request argument supplied: ${field}`, 'invalid_request_error');
    for (const field of ['per day', 'billing', 'exceeded your current quota', 'Your credit balance is too low']) expect(classify(400, echo(field)).kind).toBe('invalid_request');
    const trap = 'Your credit balance is too low to access the Anthropic API';
    expect(classifyResponse({ status: 400, headers: {}, body: { error: { message: `${trap} is not a valid model ID`, code: 400 } }, nowMs, model: trap }).kind).toBe('invalid_request');
    const located = 'User location is not supported for the API use';
    const gemini = [{ error: { code: 400, message: `${located}.`, status: 'FAILED_PRECONDITION' } }];
    expect(classifyResponse({ status: 400, headers: {}, body: gemini, nowMs, model: located }).kind).toBe('invalid_request');
    expect(classifyResponse({ status: 400, headers: {}, body: gemini, nowMs, model: 'gemini-2.5-flash' }).kind).toBe('auth');
    expect(classify(400, { error: { message: `${located}.`, type: 'invalid_request_error' } }).kind).toBe('invalid_request');
  });

  it('never retries insufficient_quota on the same endpoint but fails over, with a long cooldown', () => {
    const outcome = classify(429, openai('insufficient_quota'));
    expect(outcome).toMatchObject({ retrySame: false, failover: true, breaker: 'neutral', cooldown: 'long' });
  });

  it('cools a 429 until its reset and keeps it out of the breaker', () => {
    const outcome = classify(429, openai('rate_limit_exceeded', 'slow down', 'requests'), { 'retry-after': '2' });
    expect(outcome).toMatchObject({ retrySame: true, failover: true, breaker: 'neutral', cooldown: 'until_reset', delayMs: 2000 });
  });

  it('counts 5xx as breaker failures and request errors as neutral', () => {
    expect(classify(500).breaker).toBe('failure');
    expect(classify(529).breaker).toBe('failure');
    expect(classify(400, openai('invalid_value')).breaker).toBe('neutral');
    expect(classify(400, openai('invalid_value'))).toMatchObject({ retrySame: false, failover: false });
  });

  it('lets x-should-retry override the same-endpoint decision either way', () => {
    expect(classify(500, '', { 'x-should-retry': 'false' })).toMatchObject({ retrySame: false, failover: true });
    expect(classify(400, openai('invalid_value'), { 'x-should-retry': 'true' })).toMatchObject({ retrySame: true });
  });

  it('reads Groq\'s exhausted request headers as a daily quota', () => {
    const headers = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2m59.56s', 'retry-after': '180' };
    expect(classify(429, openai('rate_limit_exceeded'), headers, 'groq').kind).toBe('quota_exhausted');
    expect(classify(429, openai('rate_limit_exceeded'), headers, 'openai').kind).toBe('rate_limited');
  });

  it('classifies unknown error types by status', () => {
    expect(classify(500, { type: 'error', error: { type: 'brand_new_error', message: '?' } }).kind).toBe('server_error');
    expect(classify(418, 'teapot').kind).toBe('invalid_request');
  });
});

describe('classifyResponse, judged by the signal rather than the boilerplate', () => {
  const nowMs = Date.UTC(2026, 0, 1);
  const gemini = (quotaId: string, message = 'You exceeded your current quota, please check your plan and billing details.') => [{
    error: {
      code: 429, status: 'RESOURCE_EXHAUSTED', message,
      details: [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' },
      ],
    },
  }];

  it('reads a per-minute Gemini 429 with its real message as a rate limit of 30 s, not an exhausted quota', () => {
    const outcome = classifyResponse({ status: 429, headers: {}, body: gemini('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'), nowMs });
    expect(outcome.kind).toBe('rate_limited');
    expect(outcome.delayMs).toBe(30_000);
    expect(outcome.cooldown).toBe('until_reset');
  });

  it('still reads a per-day or zero-limit Gemini quota as exhausted', () => {
    expect(classifyResponse({ status: 429, headers: {}, body: gemini('GenerateRequestsPerDayPerProjectPerModel'), nowMs }).kind).toBe('quota_exhausted');
    expect(classifyResponse({ status: 429, headers: {}, body: gemini('GenerateRequestsPerMinutePerProjectPerModel', 'Quota exceeded for metric: x, limit: 0'), nowMs }).kind).toBe('quota_exhausted');
  });

  it.each([
    ['a rate limit', 429, {}, 15 * 60_000],
    ['an overloaded server', 503, {}, 5 * 60_000],
  ])('caps an absurd Retry-After on %s', (_, status, body, cap) => {
    const outcome = classifyResponse({ status, headers: { 'retry-after': '999999999' }, body, nowMs });
    expect(outcome.delayMs).toBe(cap);
  });

  it(`believes a spent credit's delay only when it is its reset, and a daily limit's stated wait, capped at a day`, () => {
    // A Retry-After (or a rate limit's reset) on insufficient_quota says nothing of when the credit comes back.
    const spent = { error: { code: 'insufficient_quota', message: 'quota' } };
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '1' }, body: spent, nowMs }).delayMs).toBeUndefined();
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '999999999' }, body: spent, nowMs }).delayMs).toBeUndefined();
    // OpenRouter's per-day limit carries its reset in the error body; Groq's per-day requests in their header.
    const perDay = (resetAt: number) => ({ error: { code: 429, message: 'Rate limit exceeded: free-models-per-day', metadata: { headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) } } } });
    expect(classifyResponse({ status: 429, headers: {}, body: perDay(nowMs + 40_000), nowMs })).toMatchObject({ kind: 'quota_exhausted', delayMs: 40_000 });
    expect(classifyResponse({ status: 429, headers: {}, body: perDay(nowMs + 10 * 86_400_000), nowMs }).delayMs).toBe(24 * 3_600_000);
    const groq = { 'x-ratelimit-limit-requests': '1000', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2m59.56s' };
    expect(classifyResponse({ status: 429, headers: groq, body: {}, nowMs, provider: 'groq' })).toMatchObject({ kind: 'quota_exhausted', delayMs: 179_560 });
    // Per-day rate limits say when they come back: OpenAI's RPD in its message, Groq's TPD in Retry-After.
    const rpd = { error: { message: 'Rate limit reached for gpt-4o on requests per day (RPD): Limit 10000, Used 10000, Requested 1. Please try again in 7m12s.', type: 'requests', code: 'rate_limit_exceeded' } };
    expect(classifyResponse({ status: 429, headers: {}, body: rpd, nowMs })).toMatchObject({ kind: 'quota_exhausted', delayMs: 432_000 });
    const tpd = { error: { message: 'Rate limit reached for model `llama` on tokens per day (TPD): Limit 500000, Used 499990, Requested 120.', type: 'tokens', code: 'rate_limit_exceeded' } };
    expect(classifyResponse({ status: 429, headers: { 'retry-after': '864' }, body: tpd, nowMs, provider: 'groq' })).toMatchObject({ kind: 'quota_exhausted', delayMs: 864_000 });
    // Gemini's retryDelay on a per-day quota is per-minute boilerplate: waiting it out will not help.
    expect(classifyResponse({ status: 429, headers: {}, body: gemini('GenerateRequestsPerDayPerProjectPerModel'), nowMs }).delayMs).toBeUndefined();
  });
});
