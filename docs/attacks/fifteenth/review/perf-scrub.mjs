// Pathological scrub cost: many keys sharing a provider prefix, a text repeating that prefix.
import { createSecretScrubber } from '/tmp/a15-review/packages/core/dist/index.js';
import crypto from 'node:crypto';
const rnd = (n) => crypto.randomBytes(n).toString('base64').replace(/[+/=]/g, 'x').slice(0, n);
for (const [label, prefix] of [['openai sk-proj-', 'sk-proj-'], ['anthropic sk-ant-api03-', 'sk-ant-api03-']]) {
  for (const nkeys of [1, 100, 3000]) {
    const keys = Array.from({ length: nkeys }, () => prefix + rnd(40));
    let t = performance.now(); const scrub = createSecretScrubber(keys); const build = performance.now() - t;
    for (const [tname, text] of [
      ['377kB prefix repeated', prefix.repeat(Math.ceil(377000 / prefix.length))],
      ['377kB prefix+7 random', (prefix + 'abcdefg ').repeat(Math.ceil(377000 / (prefix.length + 8)))],
      ['377kB %-encoded prefix', encodeURIComponent(prefix).replace(/-/g, '%2D').repeat(Math.ceil(377000 / (prefix.length * 3)))],
      ['377kB lorem', 'lorem ipsum dolor sit amet '.repeat(14000)],
    ]) {
      t = performance.now(); const out = scrub(text); const ms = performance.now() - t;
      console.log(`${label} keys=${nkeys} build=${build.toFixed(0)}ms  ${tname}: ${ms.toFixed(0)} ms (out ${out.length} chars)`);
    }
  }
}
