// Differential fuzz of the secret scrubber: every encoded occurrence removed; JSON validity kept; clean text untouched.
import { createSecretScrubber } from './scrubber.mjs';
let seed = 7; const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rkey = (p, n) => p + Array.from({ length: n }, () => alnum[rnd(62)]).join('');
let misses = 0, jsonBreaks = 0, falsePos = 0;
for (let iter = 0; iter < 3000; iter++) {
  const keys = [rkey('sk-proj-', 40 + rnd(20)), rkey('sk-ant-api03-', 30), rkey('', 16 + rnd(30))];
  const scrub = createSecretScrubber(keys);
  const key = keys[rnd(3)];
  const filler = () => Array.from({ length: rnd(60) }, () => ' abcxyz\n"\\é€👋%-_/+='[rnd(19)] ?? 'q').join('');
  const enc = [
    (k) => k, (k) => encodeURIComponent(k), (k) => k.split('').map((c) => '\\u00' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
    (k) => Buffer.from(k).toString('base64'), (k) => Buffer.from('x' + k).toString('base64'), (k) => Buffer.from('xy' + k).toString('base64url'),
    (k) => k.slice(5), (k) => k.slice(0, k.length - 3),
  ];
  const which = rnd(enc.length);
  const content = filler() + enc[which](key) + filler();
  const json = JSON.stringify({ a: content, b: [1, 'x'] });
  const out = scrub(json);
  let parsed; try { parsed = JSON.parse(out); } catch { jsonBreaks++; if (jsonBreaks < 4) console.log('JSON BROKEN', which, JSON.stringify(json), '->', JSON.stringify(out)); continue; }
  const s = JSON.stringify(parsed) + decodeURIComponent(encodeURIComponent(out));
  const core = key.replace(/^(sk-proj-|sk-ant-api03-)/, '');
  if (out.includes(core.slice(4, 16)) && which !== 3 && which !== 4 && which !== 5) { misses++; if (misses < 4) console.log('MISS', which, JSON.stringify(json), '->', JSON.stringify(out)); }
  // clean text (no key) must be unchanged
  const clean = JSON.stringify({ a: filler() + rkey('', 30) + filler() });
  if (scrub(clean) !== clean) { falsePos++; if (falsePos < 4) console.log('FALSE POSITIVE', JSON.stringify(clean), '->', JSON.stringify(scrub(clean))); }
}
console.log({ misses, jsonBreaks, falsePos });
