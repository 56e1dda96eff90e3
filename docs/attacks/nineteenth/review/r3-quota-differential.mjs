// Differential fuzz: quota tracker of 01a7080 vs HEAD (array buckets + headroomNow). Same op sequences, compare.
import * as NEW from '/tmp/review19/repo/packages/core/dist/signals.js';
import * as OLD from '/tmp/review19/old/packages/core/dist/signals.js';
let seed = Number(process.argv[2] ?? 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const eps = ['a', 'b', 'c'], models = [undefined, 'm1', 'm2'];
const dims = ['requests', 'tokens', 'input-tokens', 'output-tokens'];
const cost = () => ({ requests: 1, inputTokens: Math.floor(rnd() * 3000), outputTokens: Math.floor(rnd() * 1000) });
const same = (x, y) => JSON.stringify(x, (k, v) => (v instanceof Map ? [...v] : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) === JSON.stringify(y, (k, v) => (v instanceof Map ? [...v] : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
let mismatches = 0, checks = 0;
for (let run = 0; run < 400; run += 1) {
  const limits = new Map([['a', { rpm: 60, tpm: 40000 }], ['b', { tpm: 10000 }]]);
  const providers = new Map([['a', 'openai'], ['b', 'anthropic'], ['c', 'openai']]);
  const opts = { limits, providers, reports: true };
  const o = OLD.createQuotaTracker(opts), n = NEW.createQuotaTracker(opts);
  const resO = [], resN = [];
  let now = 1_000_000;
  const log = [];
  for (let step = 0; step < 60; step += 1) {
    now += Math.floor(rnd() * 3000);
    const op = rnd();
    const ep = pick(eps), model = pick(models);
    const cmp = (label, x, y) => { checks += 1; if (!same(x, y)) { mismatches += 1; if (mismatches < 6) console.log('MISMATCH', label, 'run', run, 'step', step, x, y, log.slice(-5)); } };
    if (op < 0.25) {
      const c = cost();
      resO.push(o.reserve(ep, model, c, now)); resN.push(n.reserve(ep, model, c, now)); log.push(['reserve', ep, model, c]);
    } else if (op < 0.45) {
      const obs = {};
      for (const d of dims) if (rnd() < 0.5) { const limit = rnd() < 0.7 ? Math.floor(rnd() * 50000) + 10 : undefined; obs[d] = { remaining: Math.floor(rnd() * (limit ?? 50000)), limit, resetMs: rnd() < 0.8 ? Math.floor(rnd() * 90000) : undefined }; }
      const i = resO.length && rnd() < 0.5 ? Math.floor(rnd() * resO.length) : -1;
      o.observe(ep, model, obs, now, i >= 0 ? resO[i] : undefined); n.observe(ep, model, obs, now, i >= 0 ? resN[i] : undefined); log.push(['observe', ep, model, obs]);
    } else if (op < 0.6 && resO.length) {
      const i = Math.floor(rnd() * resO.length);
      const spend = { reached: rnd() < 0.8, inputTokens: rnd() < 0.8 ? Math.floor(rnd() * 5000) : undefined, outputTokens: rnd() < 0.8 ? Math.floor(rnd() * 2000) : undefined };
      o.settle(resO[i], spend, now); n.settle(resN[i], spend, now); log.push(['settle', i, spend]);
    } else if (op < 0.7) {
      const ro = o.drainReport(), rn = n.drainReport();
      cmp('drainReport', ro, rn);
      const answer = ro.map((s) => ({ ...s, spent: Object.fromEntries(Object.entries(s.spent).map(([k, v]) => [k, v * (1 + Math.floor(rnd() * 3))])), since: rnd() < 0.5 ? now - Math.floor(rnd() * 200000) : undefined }));
      if (rnd() < 0.3) answer.push({ endpoint: pick(eps), model: pick(models), spent: { requests: 5, tokens: 3000 }, since: now - 100000 });
      o.adoptFleet(answer, ro, now); n.adoptFleet(answer, rn, now); log.push(['adoptFleet']);
    } else {
      const c = cost();
      for (const reserveMs of [0, 1000, 2000]) {
        const w = o.waitMs(ep, model, c, now, reserveMs);
        const oldAdmission = w > 0 ? undefined : o.headroom(ep, model, c, now);
        cmp('headroomNow', oldAdmission, n.headroomNow(ep, model, c, now, reserveMs));
        cmp('waitMs', w, n.waitMs(ep, model, c, now, reserveMs));
      }
      cmp('headroom', o.headroom(ep, model, c, now), n.headroom(ep, model, c, now));
      const targets = eps.map((e) => ({ endpoint: e, model }));
      const fo = o.forecast(), fn = n.forecast();
      for (let k = 0; k < 4; k += 1) { const c2 = cost(); const steps = OLD.reserveSteps(pick(['high', 'normal', 'low']), now, now + 10000); cmp('forecast.admit', fo.admit(targets, c2, now + k * 500, steps), fn.admit(targets, c2, now + k * 500, steps)); }
      cmp('remaining', o.remaining(now), n.remaining(now));
      cmp('resetsIn', o.resetsIn(now), n.resetsIn(now));
      cmp('outstanding/hasNews', [o.outstanding, o.hasNews], [n.outstanding, n.hasNews]);
      for (const e of eps) cmp('readingDue', o.readingDue(e, model, now), n.readingDue(e, model, now));
    }
  }
}
console.log(`checks ${checks}, mismatches ${mismatches}`);
