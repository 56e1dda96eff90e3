// Reads out/<label>.json from fleet.mjs and prints the primary's timeline: every quiet period of the primary
// (no request for >= 700 ms) and what hit it when traffic resumed ("herd": requests in the first 100 ms and 500 ms
// after the silence, and their outcomes), plus failures to callers per second.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const label = process.argv[2];
const quietMs = Number(process.argv[3] ?? 700);
const { summary, primaryRecords, results } = JSON.parse(readFileSync(join(here, 'out', `${label}.json`), 'utf8'));
const recs = primaryRecords.sort((a, b) => a.at - b.at);
const resumes = [];
for (let i = 1; i < recs.length; i += 1) {
  const gap = recs[i].at - recs[i - 1].at;
  if (gap >= quietMs) {
    const start = recs[i].at;
    const in100 = recs.filter((r) => r.at >= start && r.at < start + 100);
    const in500 = recs.filter((r) => r.at >= start && r.at < start + 500);
    const outcomes = {};
    for (const r of in500) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    resumes.push({ silentFrom: recs[i - 1].at, resumedAt: start, gapMs: gap, in100: in100.length, in500: in500.length, outcomes500: outcomes });
  }
}
const failuresBySecond = {};
for (const r of results) if (r.status !== 200) failuresBySecond[Math.floor(r.at / 1000)] = (failuresBySecond[Math.floor(r.at / 1000)] ?? 0) + 1;
const primaryBySecond = {};
for (const r of recs) {
  const s = Math.floor(r.at / 1000);
  primaryBySecond[s] ??= {};
  primaryBySecond[s][r.outcome] = (primaryBySecond[s][r.outcome] ?? 0) + 1;
}
console.log(JSON.stringify({ label, members: summary.members, store: summary.store, byStatus: summary.byStatus, upstream: summary.upstream, latencyMs: summary.latencyMs, redisEvents: summary.redisEvents, resumes, failuresBySecond }, null, 0));
if (process.argv.includes('--seconds')) console.log(JSON.stringify(primaryBySecond));
