// Renders (c′), first byte against rate (see workloads/first-byte-by-rate.mjs).
import { formatSignedMs, formatSpread, spread } from '../summary-statistics.mjs';
import { subjectLabels } from '../subjects.mjs';
import { markdownTable as table } from './markdown-table.mjs';


/** Per repetition, `name`'s first byte p50 less the direct floor's of the same repetition. */
const added = (bySubject, name) => bySubject[name].map((run, index) => run.firstByteP50 - bySubject.direct[index].firstByteP50);

/** (c)'s or (a)'s raw runs, as this pass's: each repetition's first byte p50 (for JSON, its latency p50). */
const asFirstByte = (runs, pick) => Object.fromEntries(['direct', 'bare', 'detour'].map((name) => [name, runs[name].map((run) => ({ firstByteP50: pick(run) }))]));

/** The section; `streaming` and `latency` are (c)'s and (a)'s raw runs, `byRate` this pass's. */
export const firstByteByRateMarkdown = ({ streaming, latency, byRate, settings }) => {
  if (!byRate) return '';
  const { rate, fastRate } = settings.streaming;
  const jsonFast = latency[String(fastRate)];
  const columns = [
    [`streams, ${rate}/s (c)`, asFirstByte(streaming, (run) => run.firstByteMs.p50)],
    [`streams, ${fastRate}/s`, byRate.streamsFast],
    [`JSON, ${rate}/s`, byRate.jsonSlow],
    ...(jsonFast ? [[`JSON, ${fastRate}/s (a)`, asFirstByte(jsonFast, (run) => run.latencyMs.p50)]] : []),
  ];
  const gap = (runs) => {
    const detour = added(runs, 'detour');
    const bare = added(runs, 'bare');
    return spread(detour.map((value, index) => value - bare[index]));
  };
  const rows = [
    ...['bare', 'detour'].map((name) => [`${subjectLabels[name]}: added first byte p50, ms`, ...columns.map(([, runs]) => formatSpread(spread(added(runs, name))))]),
    ['Detour − bare (paired), ms', ...columns.map(([, runs]) => formatSpread(gap(runs)))],
  ];
  const [slowStreams, fastStreams, slowJson, fastJson] = columns.map(([, runs]) => gap(runs).median);
  const ms = (value) => (value === undefined ? 'n/a' : `${formatSignedMs(value)} ms`);
  return `## (c′) First byte against rate (the direct floor, the bare proxy and Detour; ${settings.repetitions} repetition(s), interleaved)

Is Detour's first-byte gap its stream relay, or its request path? The same measurement as (c) for streams at
${fastRate}/s, and for JSON answers at ${rate}/s (one small body chunk: its latency is its first byte); JSON at ${fastRate}/s is (a)'s
run. Added over the direct floor of the same repetition, medians with min–max; the last row pairs Detour with the
bare proxy within each repetition.

${table(['', ...columns.map(([label]) => label)], rows)}

Detour's first byte over the bare proxy's, paired: streams ${ms(slowStreams)} at ${rate}/s and ${ms(fastStreams)} at ${fastRate}/s; JSON
${ms(slowJson)} at ${rate}/s and ${ms(fastJson)} at ${fastRate}/s. What JSON answers and streams share is the request path (reading,
parsing, routing, admission, the attempt) and the answer's bookkeeping; what only streams pay is committing on the
first event and setting up the relay (the guard, the rescue relay, the Node adapter's pipe).
`;
};
