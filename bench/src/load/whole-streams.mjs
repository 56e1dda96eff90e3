// The cut-streams workload's client: sends `count` identical streamed chat requests, `concurrency` at a time, reads
// each to its end and judges what the caller got against the whole answer (`reference`): whole (the exact text, a
// finish_reason and [DONE]), a visible error (an HTTP error, an error event, or a body that fails), or a silent
// truncation (the body ended as if all was well, without the whole text). It also checks that what arrived is a
// prefix of the answer (no gap, no repeated word). Prints one JSON line with the counts.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

const { origin, path, headers, body, count, concurrency, reference, timeoutMs } = JSON.parse(process.argv[2]);
const dispatcher = new Agent({ connections: concurrency, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
const payload = JSON.stringify(body);
const counts = { whole: 0, visibleError: 0, silentTruncation: 0, notAPrefix: 0, errorAfterPartial: 0 };
const statuses = {};
const durations = [];

/** Reads an SSE body: the assembled `content`, whether a finish_reason and [DONE] came, and any error event. */
const readStream = async (stream) => {
  let buffer = '';
  let content = '';
  let finish = false;
  let done = false;
  let errorEvent = false;
  for await (const chunk of stream) {
    buffer += chunk;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      for (const line of event.split('\n')) {
        if (!line.startsWith('data:')) continue;
        const data = line.slice(5).trim();
        if (data === '[DONE]') {
          done = true;
          continue;
        }
        try {
          const parsed = JSON.parse(data);
          if (parsed.error) errorEvent = true;
          const choice = parsed.choices?.[0];
          if (typeof choice?.delta?.content === 'string') content += choice.delta.content;
          if (choice?.finish_reason) finish = true;
        } catch {
          errorEvent = true;
        }
      }
    }
  }
  return { content, finish, done, errorEvent };
};

const one = async () => {
  const started = performance.now();
  let content = '';
  let outcome;
  try {
    const response = await request(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload, dispatcher });
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
    if (response.statusCode !== 200) {
      await response.body.text();
      outcome = 'visibleError';
    } else {
      response.body.setEncoding('utf8');
      const read = await readStream(response.body);
      content = read.content;
      if (read.errorEvent) outcome = 'visibleError';
      else if (read.finish && read.done && content === reference) outcome = 'whole';
      else outcome = 'silentTruncation';
    }
  } catch {
    // The body failed (a reset, an interrupted stream): the caller sees an error.
    outcome = 'visibleError';
  }
  counts[outcome] += 1;
  if (!reference.startsWith(content)) counts.notAPrefix += 1;
  if (outcome === 'visibleError' && content.length > 0) counts.errorAfterPartial += 1;
  durations.push(performance.now() - started);
};

let next = 0;
const worker = async () => {
  while (next < count) {
    next += 1;
    await one();
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
await dispatcher.close();
durations.sort((a, b) => a - b);
const at = (p) => durations[Math.min(durations.length - 1, Math.max(0, Math.ceil(p * durations.length) - 1))];
process.stdout.write(`${JSON.stringify({ count, ...counts, statuses, durationMs: { p50: at(0.5), p99: at(0.99) } })}\n`);
process.exit(0);
