// Checks every relative link and #anchor in the in-scope docs (run from the clone root).
import fs from 'node:fs'; import path from 'node:path';
const docs = ['README.md','docs/getting-started.md','apps/worker/README.md','packages/node/README.md','packages/edge/README.md','packages/core/README.md','docs/fallbacks.md','docs/quota.md','docs/rescue.md','docs/pricing.md','docs/tracing.md','docs/apis.md','docs/dashboard.md','packages/redis/README.md','packages/cloudflare/README.md','packages/testkit/README.md','apps/demo/README.md'];
const slug = (h) => h.trim().toLowerCase().replace(/<[^>]+>/g,'').replace(/[^\p{L}\p{N}\s_-]/gu,'').replace(/\s/g,'-');
const anchors = (file) => { const t = fs.readFileSync(file,'utf8').replace(/```[\s\S]*?```/g,''); const seen = {}; const out = new Set();
  for (const m of t.matchAll(/^#{1,6}\s+(.*)$/gm)) { let s = slug(m[1]); if (seen[s] !== undefined) { seen[s]++; s = `${s}-${seen[s]}`; } else seen[s] = 0; out.add(s); }
  for (const m of t.matchAll(/<a (?:name|id)="([^"]+)"/g)) out.add(m[1]); return out; };
let bad = 0;
for (const d of docs) { const t = fs.readFileSync(d,'utf8'); const lines = t.split('\n');
  lines.forEach((line, i) => { for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) { const href = m[1]; if (/^(https?:|mailto:)/.test(href)) continue;
    const [p, a] = href.split('#'); const target = p ? path.normalize(path.join(path.dirname(d), p)) : d;
    if (!fs.existsSync(target)) { console.log(`MISSING ${d}:${i+1} -> ${href}`); bad++; continue; }
    if (a && target.endsWith('.md') && !anchors(target).has(a)) { console.log(`BAD ANCHOR ${d}:${i+1} -> ${href}`); bad++; } } }); }
console.log(`${bad} broken`);
