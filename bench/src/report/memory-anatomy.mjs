// Renders (e′), where the memory goes: V8's heap at each subject's highest RSS while the streams open and hold,
// and what the scavenges promoted meanwhile (see workloads/memory.mjs `runMemoryAnatomy`).
import { spread } from '../summary-statistics.mjs';
import { subjectLabels } from '../subjects.mjs';
import { markdownTable as table, formatMib as mib } from './markdown-table.mjs';

const signed = (value) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(1)}` : 'n/a');

const committedOf = (spaces) => Object.values(spaces).reduce((sum, space) => sum + space.committed, 0);

/** The figures of one probed run, in MiB. */
const figuresOf = ({ heap, flowing, count }) => {
  const { peak, promotedMiB, scavenges, majorGcs, liveIdleMiB, liveHeapMiB } = heap;
  const old = peak.spaces.old ?? { committed: 0, used: 0 };
  const heapCommitted = committedOf(peak.spaces);
  return {
    rss: peak.rss,
    newSpace: peak.spaces.new?.committed ?? 0,
    oldUsed: old.used,
    oldCommitted: old.committed,
    oldFree: old.committed - old.used,
    code: peak.spaces.code?.committed ?? 0,
    largeObjects: (peak.spaces.large_object?.committed ?? 0) + (peak.spaces.code_large_object?.committed ?? 0) + (peak.spaces.new_large_object?.committed ?? 0),
    outsideHeap: peak.rss - heapCommitted,
    promoted: promotedMiB,
    liveIdle: liveIdleMiB,
    live: liveHeapMiB,
    peakMalloced: heap.peakMallocedMiB,
    scavenges,
    majorGcs,
    flowing: `${flowing}/${count}`,
  };
};

/** Each figure's median over the runs, and the spread of the figures that move between processes of one build. */
const medians = (runs) => {
  const figures = runs.map(figuresOf);
  const keys = Object.keys(figures[0]).filter((key) => key !== 'flowing');
  const spreads = Object.fromEntries(keys.map((key) => [key, spread(figures.map((figure) => figure[key]))]));
  return { ...Object.fromEntries(keys.map((key) => [key, spreads[key].median])), flowing: figures.map((figure) => figure.flowing).join(', '), spreads };
};

// Shown with their min–max: what lies outside V8's heap moves by several MiB between fresh processes of one build.
const ranged = new Set(['rss', 'outsideHeap']);
const cell = (figures, key) => {
  const { min, max, n } = figures.spreads[key];
  return ranged.has(key) && n > 1 ? `${mib(figures[key])} (${mib(min)}–${mib(max)})` : mib(figures[key]);
};
/** Whether two subjects' runs of a figure overlap: their difference is then within what processes vary by. */
const overlaps = (a, b) => a.min <= b.max && b.min <= a.max;

const columns = [
  ['highest RSS, MiB', 'rss'],
  ['young generation, committed', 'newSpace'],
  ['old generation, used', 'oldUsed'],
  ['old generation, committed', 'oldCommitted'],
  ['old generation, committed but free', 'oldFree'],
  ['code', 'code'],
  ['large objects', 'largeObjects'],
  ['RSS outside V8\'s heap (Node, libuv, buffers, the binary)', 'outsideHeap'],
  ['promoted by scavenges meanwhile', 'promoted'],
  ['live heap before the streams (after a full collection)', 'liveIdle'],
  ['live heap with the streams open (after a full collection)', 'live'],
  ["V8's own malloc, highest since start", 'peakMalloced'],
];

/** The section, or an empty string when the run had no anatomy pass. */
export const memoryAnatomyMarkdown = (anatomy, settings) => {
  if (!anatomy || anatomy.bare.length === 0 || anatomy.detour.length === 0) return '';
  const bare = medians(anatomy.bare);
  const detour = medians(anatomy.detour);
  const row = (label, figures) => [label, ...columns.map(([, key]) => cell(figures, key)), `${Math.round(figures.scavenges)} / ${Math.round(figures.majorGcs)}`, figures.flowing];
  const difference = ['Detour − bare', ...columns.map(([, key]) => signed(detour[key] - bare[key])), '', ''];
  const gap = detour.rss - bare.rss;
  const detourStreams = detour.live - detour.liveIdle;
  const bareStreams = bare.live - bare.liveIdle;
  const perStream = (value) => ((value * 1024) / settings.memory.streams).toFixed(1);
  const outside = overlaps(bare.spreads.outsideHeap, detour.spreads.outsideHeap)
    ? `memory outside V8's heap ${signed(detour.outsideHeap - bare.outsideHeap)} MiB, within what fresh processes of either vary by (bare ${mib(bare.spreads.outsideHeap.min)}–${mib(bare.spreads.outsideHeap.max)}, Detour ${mib(detour.spreads.outsideHeap.min)}–${mib(detour.spreads.outsideHeap.max)} MiB)`
    : `memory outside V8's heap ${signed(detour.outsideHeap - bare.outsideHeap)} MiB`;
  return `## (e′) Where the memory goes, ${settings.memory.streams} open streams (heap probe, fresh processes)

The bare proxy and Detour again, ${settings.memory.anatomyRepetitions} repetition(s) each, interleaved, each with
\`bench/src/profile/heap-probe.mjs\` loaded: from the end of the warm-up until the ${settings.memory.streams} streams
are held it samples V8's heap spaces every 10 ms (the sample at the highest RSS is shown) and runs V8's GC profiler
(promoted = the old generation's growth across each scavenge). It measures what is live after a full collection before
the streams open (which also starts both from a compacted heap) and again while they are held. MiB, medians (with
min–max where processes of one build differ most); the probe's sampling runs in both subjects, so these peaks are not
(e)'s. Outside V8's heap, most of a process's RSS is the binary and what the C library keeps of memory already freed:
V8's own allocations for compiling and parsing (the last column is their highest) are freed when each job ends, and
how much of that stays resident differs from process to process.

${table(['subject', ...columns.map(([label]) => label), 'scavenges / major GCs', 'flowing'], [row(subjectLabels.bare, bare), row(subjectLabels.detour, detour), difference])}

At the highest RSS Detour is ${signed(gap)} MiB over the bare proxy, of which its old generation is ${signed(detour.oldCommitted - bare.oldCommitted)} MiB, its
code ${signed(detour.code - bare.code)} MiB and ${outside}. Its program and idle state are
${signed(detour.liveIdle - bare.liveIdle)} MiB of live heap over the bare proxy's; the open streams add ${mib(detourStreams)} MiB of live heap to it (${perStream(detourStreams)} KiB per
stream), against ${mib(bareStreams)} MiB (${perStream(bareStreams)} KiB) for the bare proxy. The rest of its larger old generation is garbage promoted while
the streams opened (${mib(detour.promoted)} MiB promoted, against ${mib(bare.promoted)} MiB for the bare proxy), which it holds until a full collection.
`;
};
