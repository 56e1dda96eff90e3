import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ErrorReply } from './faults/error-reply';
import type { FaultAction } from './faults/fault-action';
import { faultAction, outcomeOf } from './faults/fault-action';
import { openaiRateLimitReply } from './faults/rate-limit-dialects';
import { invalidJsonReply, notFoundReply } from './faults/request-error-replies';
import { putRateLimitHeaders, UNLIMITED_REQUESTS, UNLIMITED_TOKENS } from './headers/rate-limit-headers';
import type { InstanceState } from './instance-state';
import type { PreparedReply, ReplyContext } from './openai/prepared-reply';
import { routes } from './openai/routes';
import { countPromptTokens } from './openai/token-count';
import { matchRule } from './script/match-rule';
import type { RequestRecord } from './types';
import type { DeliveryPlan } from './write-reply';
import { writeReply } from './write-reply';

const EMPTY_BODY: Record<string, unknown> = Object.freeze({});
const DEFAULT_MODEL = 'gpt-4o-mini';
/** Rate-limit headers without a limiter never change, so they are built once. */
const UNLIMITED_HEADERS: Readonly<Record<string, string>> = putRateLimitHeaders({}, UNLIMITED_REQUESTS, UNLIMITED_TOKENS);
/** Outcomes that describe a deliberate break, which a closing connection must not relabel as a client abort. */
const DELIBERATE_ENDS = new Set(['hang', 'reset', 'cut-stream', 'malformed-sse']);

/** One request in flight, with what every reply needs. */
interface Exchange {
  state: InstanceState;
  response: ServerResponse;
  record: RequestRecord;
  requestId: string;
  startedAt: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The headers every answer carries: a request id, processing time and, for OpenAI-dialect answers, rate limits. */
function commonHeaders(exchange: Exchange, openaiRateHeaders: boolean): Record<string, string> {
  const { state } = exchange;
  let headers: Record<string, string>;
  if (!openaiRateHeaders) headers = {};
  else if (state.limiter === undefined) headers = { ...UNLIMITED_HEADERS };
  else {
    const current = state.limiter.state();
    headers = putRateLimitHeaders({}, current.requests, current.tokens);
  }
  headers['x-request-id'] = exchange.requestId;
  headers['openai-processing-ms'] = String(Math.round(performance.now() - exchange.startedAt));
  headers['openai-version'] = '2020-10-01';
  return headers;
}

function sendError(exchange: Exchange, reply: ErrorReply): void {
  const headers = commonHeaders(exchange, reply.openaiRateHeaders);
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
  if (delayMs > 0 || plan.chunkDelayMs > 0) watchForAbort(exchange);
  if (delayMs > 0 && !(await state.delays.wait(delayMs, response))) return;
  if (action?.kind === 'reply') {
    sendError(exchange, action.reply);
    return;
  }
  await writeReply(response, commonHeaders(exchange, true), reply, plan, state.delays);
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
  const exchange: Exchange = { state, response, record, requestId: `req_${id}`, startedAt };

  const route = routes.get(`${method} ${path}`);
  if (route === undefined || invalidJson) {
    record.outcome = route === undefined ? 'not-found' : 'invalid-json';
    state.stats.add(record);
    sendError(exchange, route === undefined ? notFoundReply(method, path) : invalidJsonReply());
    return;
  }

  const promptTokens = countPromptTokens(body);
  const facts = { seq: record.seq, elapsedMs: at - state.scriptStartedAt, path, model, stream };
  const rule = state.script.length === 0 ? undefined : matchRule(state.script, facts, state.ruleRandom);
  const context: ReplyContext = {
    id,
    created: Math.floor(at / 1000),
    model: model ?? DEFAULT_MODEL,
    words: state.words,
    contentJson: state.contentJson,
    promptTokens,
    body,
  };
  const reply = route(context);

  let action: FaultAction | undefined;
  if (rule !== undefined) {
    record.outcome = outcomeOf(rule.fault);
    action = faultAction(rule.fault, {
      now: at,
      model: context.model,
      requestId: exchange.requestId,
      promptTokens,
      authorization: record.authorization,
    });
  } else if (state.limiter !== undefined) {
    const admission = state.limiter.admit(reply.tokens);
    if (!admission.admitted) {
      record.outcome = 'rate-limit';
      const limitContext = { retryAfterMs: admission.retryAfterMs, perDay: false, now: at, model: context.model, requestId: exchange.requestId };
      action = { kind: 'reply', reply: openaiRateLimitReply(limitContext, admission.state) };
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
