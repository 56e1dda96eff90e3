import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { anthropicErrorReply } from './anthropic/error-body';
import { anthropicLimiterReply } from './anthropic/limiter-reply';
import { putAnthropicRateLimitHeaders } from './anthropic/rate-limit-headers';
import type { ErrorReply } from './faults/error-reply';
import type { ErrorDialect, FaultAction } from './faults/fault-action';
import { faultAction, outcomeOf } from './faults/fault-action';
import { ietfLimiterReply, openaiRateLimitReply } from './faults/rate-limit-dialects';
import { putIetfRateLimitHeaders } from './headers/ietf-rate-limit-headers';
import { invalidJsonReply, notFoundReply } from './faults/request-error-replies';
import { putRateLimitHeaders, UNLIMITED_REQUESTS, UNLIMITED_TOKENS } from './headers/rate-limit-headers';
import type { InstanceState } from './instance-state';
import type { PrefillVerdict } from './answers/prefill';
import type { PreparedReply, ReplyContext } from './openai/prepared-reply';
import { countPromptTokens } from './openai/token-count';
import { errorDialectOf, findRoute } from './route-table';
import { matchRule } from './script/match-rule';
import { chooseAnswer } from './answers/choose-answer';
import { prefillRejection } from './answers/prefill-replies';
import { contextLengthReply } from './faults/request-error-replies';
import { promptTooLongReply } from './anthropic/fault-replies';
import type { RequestRecord } from './types';
import type { DeliveryPlan } from './write-reply';
import { endsInError, writeReply } from './write-reply';

const EMPTY_BODY: Record<string, unknown> = Object.freeze({});
const DEFAULT_MODEL = 'gpt-4o-mini';
/** Rate-limit headers without a limiter never change, so they are built once. */
const UNLIMITED_HEADERS: Readonly<Record<string, string>> = putRateLimitHeaders({}, UNLIMITED_REQUESTS, UNLIMITED_TOKENS);
/** Outcomes that describe a deliberate break, which a closing connection must not relabel as a client abort. */
const DELIBERATE_ENDS = new Set(['hang', 'reset', 'cut-stream', 'malformed-sse', 'stream-error-event', 'stall']);
/** The routes whose prompts a model's context window bounds. */
const WINDOWED_PATHS = new Set(['/v1/chat/completions', '/v1/completions', '/v1/responses', '/v1/messages']);

/** One request in flight, with what every reply needs. */
interface Exchange {
  state: InstanceState;
  response: ServerResponse;
  record: RequestRecord;
  requestId: string;
  startedAt: number;
  /** Whose headers and error shapes the answer uses. */
  api: ErrorDialect;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The headers every answer carries. OpenAI routes: `x-request-id`, processing time and, unless the reply carries
 * its own, `x-ratelimit-*`. Anthropic routes: `request-id` and `anthropic-ratelimit-*`.
 */
function commonHeaders(exchange: Exchange, rateHeaders: boolean): Record<string, string> {
  const { state } = exchange;
  if (exchange.api === 'anthropic') {
    const headers: Record<string, string> = { 'request-id': exchange.requestId };
    if (!rateHeaders) return headers;
    const current = state.limiter?.state() ?? { requests: UNLIMITED_REQUESTS, tokens: UNLIMITED_TOKENS };
    return putAnthropicRateLimitHeaders(headers, current.requests, current.tokens, state.now());
  }
  let headers: Record<string, string>;
  if (!rateHeaders) headers = {};
  else if (state.limiter === undefined) headers = { ...UNLIMITED_HEADERS };
  else {
    const current = state.limiter.state();
    headers =
      state.limiter.headers === 'ietf'
        ? putIetfRateLimitHeaders({}, current.requests, current.tokens)
        : putRateLimitHeaders({}, current.requests, current.tokens);
  }
  headers['x-request-id'] = exchange.requestId;
  headers['openai-processing-ms'] = String(Math.round(performance.now() - exchange.startedAt));
  headers['openai-version'] = '2020-10-01';
  return headers;
}

function sendError(exchange: Exchange, reply: ErrorReply): void {
  const headers = commonHeaders(exchange, reply.rateHeaders);
  Object.assign(headers, reply.headers);
  headers['content-length'] = String(Buffer.byteLength(reply.body));
  exchange.response.writeHead(reply.status, headers);
  exchange.response.end(reply.body);
}

/** Marks the request `client-aborted` if its connection closes before the answer is complete. */
function watchForAbort(exchange: Exchange): void {
  const { response, record, state } = exchange;
  response.once('close', () => {
    if (response.writableFinished || state.closing) return;
    record.clientClosedAt = state.now();
    if (DELIBERATE_ENDS.has(record.outcome)) return;
    state.stats.setOutcome(record, 'client-aborted');
  });
}

/** Answers after the latency model's delay and any fault delay, then delivers or replies. */
async function answer(exchange: Exchange, reply: PreparedReply, action: FaultAction | undefined): Promise<void> {
  const { state, response, record } = exchange;
  const latencyMs = state.latency?.() ?? 0;
  if (state.latency !== undefined) record.latencyMs = latencyMs;
  const delayMs = latencyMs + (action?.kind === 'deliver' ? action.delayMs : 0);
  const plan: DeliveryPlan = { chunkDelayMs: state.chunkDelayMs, ...(action?.kind === 'deliver' ? action.plan : {}) };
  if (delayMs > 0 || plan.chunkDelayMs > 0 || plan.stall !== undefined) watchForAbort(exchange);
  if (delayMs > 0 && !(await state.delays.wait(delayMs, response))) return;
  if (action?.kind === 'reply') {
    sendError(exchange, action.reply);
    return;
  }
  // A response that ends in a mid-stream error is neither stored nor cached, as the API would not keep it either.
  if (reply.kind !== 'invalid' && !endsInError(plan)) reply.commit?.();
  await writeReply(response, commonHeaders(exchange, true), reply, plan, state.delays);
}

/** A 404 in the shape of the API the path belongs to. */
function notFoundReplyOf(exchange: Exchange, method: string, path: string): ErrorReply {
  return exchange.api === 'anthropic' ? anthropicErrorReply(404, 'Not Found', exchange.requestId) : notFoundReply(method, path);
}

/** A 400 for a body that is not a JSON object, in the shape of the API the path belongs to. */
function invalidJsonReplyOf(exchange: Exchange): ErrorReply {
  if (exchange.api === 'openai') return invalidJsonReply();
  return anthropicErrorReply(400, 'There was an error parsing the body of your request. Please check that it is valid JSON.', exchange.requestId);
}

/**
 * What the API refuses before generating anything: a prefill its dialect does not take, or a prompt longer than the
 * model's context window.
 */
function apiRejection(
  exchange: Exchange,
  verdict: PrefillVerdict,
  model: string,
  promptTokens: number,
): { reply: ErrorReply; outcome: string } | undefined {
  if (verdict.kind === 'reject') return { reply: prefillRejection(verdict.reason, exchange.api, exchange.requestId), outcome: 'prefill-rejected' };
  const window = exchange.state.contextWindows?.[model];
  if (window === undefined || promptTokens <= window || !WINDOWED_PATHS.has(exchange.record.path)) return undefined;
  const reply =
    exchange.api === 'anthropic'
      ? promptTooLongReply(promptTokens, exchange.requestId, window)
      : contextLengthReply(promptTokens, exchange.record.path === '/v1/responses', window);
  return { reply, outcome: 'context-length' };
}

function dispatch(state: InstanceState, request: IncomingMessage, response: ServerResponse, text: string, startedAt: number): void {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  let parsed: unknown;
  let invalidJson = false;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      invalidJson = true;
    }
  }
  // OpenAI rejects a JSON body that is not an object as unparseable too.
  if (parsed !== undefined && !isRecord(parsed)) invalidJson = true;
  const body = isRecord(parsed) ? parsed : EMPTY_BODY;
  const model = typeof body.model === 'string' ? body.model : undefined;
  const stream = body.stream === true;
  state.scriptSeq += 1;
  state.idCounter += 1;
  const at = state.now();
  const record: RequestRecord = {
    at,
    seq: state.scriptSeq,
    method,
    path,
    model,
    stream,
    outcome: 'ok',
    authorization: request.headers.authorization,
    // Node joins repeated request headers into one string; only set-cookie stays an array, and clients do not send it.
    headers: request.headers as Record<string, string>,
    body: parsed,
  };
  const id = `${state.idPrefix}${state.idCounter.toString(36)}`;
  const route = findRoute(method, path);
  const api = route?.api ?? errorDialectOf(path);
  const exchange: Exchange = { state, response, record, requestId: `req_${id}`, startedAt, api };

  if (route === undefined || invalidJson) {
    record.outcome = route === undefined ? 'not-found' : 'invalid-json';
    state.stats.add(record);
    sendError(exchange, route === undefined ? notFoundReplyOf(exchange, method, path) : invalidJsonReplyOf(exchange));
    return;
  }

  const promptTokens = countPromptTokens(body);
  const chosen = chooseAnswer(state.answers, body, path, state.idCounter);
  if (chosen.verdict.kind === 'continue') record.continued = chosen.verdict.prefix;
  const context: ReplyContext = {
    id,
    created: Math.floor(at / 1000),
    model: model ?? DEFAULT_MODEL,
    path,
    pieces: chosen.pieces,
    contentJson: chosen.contentJson,
    promptTokens,
    body,
    headers: request.headers as Record<string, string | undefined>,
    requestId: exchange.requestId,
    responses: state.responses,
    promptCache: state.promptCache,
  };
  let reply = route.handler(context);
  // A request the API itself rejects (no anthropic-version, an unknown response id, a refused prefill, a prompt
  // longer than the model's window) never reaches the script.
  const rejection = reply.kind === 'invalid' ? reply : apiRejection(exchange, chosen.verdict, context.model, promptTokens);
  if (rejection !== undefined) {
    record.outcome = rejection.outcome;
    state.stats.add(record);
    sendError(exchange, rejection.reply);
    return;
  }
  const facts = { seq: record.seq, elapsedMs: at - state.scriptStartedAt, path, model, stream };
  const rule = state.script.length === 0 ? undefined : matchRule(state.script, facts, state.ruleRandom);

  let action: FaultAction | undefined;
  if (rule?.fault.type === 'vary-answer') {
    const varied = chooseAnswer(state.answers, body, path, state.idCounter, rule.fault.afterTokens ?? 0);
    reply = route.handler({ ...context, pieces: varied.pieces, contentJson: varied.contentJson });
  }
  if (rule !== undefined) {
    record.outcome = outcomeOf(rule.fault);
    action = faultAction(rule.fault, {
      now: at,
      model: context.model,
      requestId: exchange.requestId,
      promptTokens,
      authorization: record.authorization,
      api,
      path,
      stream,
    });
  } else if (state.limiter !== undefined) {
    const admission = state.limiter.admit(reply.tokens);
    if (!admission.admitted) {
      record.outcome = 'rate-limit';
      const limitContext = { retryAfterMs: admission.retryAfterMs, perDay: false, now: at, model: context.model, requestId: exchange.requestId };
      const limitReply =
        api === 'anthropic'
          ? anthropicLimiterReply(admission.retryAfterMs, admission.state, at, exchange.requestId)
          : state.limiter.headers === 'ietf'
            ? ietfLimiterReply(limitContext, admission.state)
            : openaiRateLimitReply(limitContext, admission.state);
      action = { kind: 'reply', reply: limitReply };
    }
  }
  state.stats.add(record);

  if (action?.kind === 'reset') {
    request.socket.resetAndDestroy();
    return;
  }
  // A hung request is released by the client hanging up or by close(), which destroys every connection.
  if (action?.kind === 'hang') {
    response.once('close', () => {
      if (!state.closing) record.clientClosedAt = state.now();
    });
    return;
  }
  answer(exchange, reply, action).catch(() => response.destroy());
}

/**
 * The server's request listener: reads the body, records the request, picks the first matching fault (or the
 * limiter's verdict) and answers.
 */
export function handleRequest(state: InstanceState, request: IncomingMessage, response: ServerResponse): void {
  const startedAt = performance.now();
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    text += chunk;
  });
  request.on('end', () => dispatch(state, request, response, text, startedAt));
}
