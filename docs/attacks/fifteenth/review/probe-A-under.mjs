// A: under-redaction sweep at the scrubber (core createSecretScrubber), one pieceable key.
import { createSecretScrubber } from '/tmp/a15-review/packages/core/dist/index.js';
const KEY = 'sk-ant-api03-Zx9Qw7Lm2Nb5Vc8Tr4Yu6Io1Pa3Sd0Fg';
const scrub = createSecretScrubber([KEY]);
const uesc = (s) => [...s].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('');
const leak = (out) => { let best = ''; for (let i = 0; i < KEY.length; i++) for (let j = i + 5; j <= KEY.length; j++) if (out.includes(KEY.slice(i, j)) && j - i > best.length) best = KEY.slice(i, j); return best; };
const cases = {
  raw: KEY, 'last 8': `…${KEY.slice(-8)}`, 'middle 8': KEY.slice(20, 28),
  'all \\u00XX': uesc(KEY), 'all \\u00XX upper hex': uesc(KEY).toUpperCase().replace(/\\U/g, '\\u'),
  'percent every char': [...KEY].map((c) => '%' + c.charCodeAt(0).toString(16)).join(''),
  'percent x3 (%2525..)': [...KEY].map((c) => '%2525' + c.charCodeAt(0).toString(16)).join(''),
  'mixed uesc/pct/raw': [...KEY].map((c, i) => (i % 3 === 0 ? '%' + c.charCodeAt(0).toString(16) : i % 3 === 1 ? uesc(c) : c)).join(''),
  'html entities &#x..;': [...KEY].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(''),
  'hex': Buffer.from(KEY).toString('hex'),
  'reversed': [...KEY].reverse().join(''),
  'uppercased': KEY.toUpperCase(),
  'base64 whole': Buffer.from(KEY).toString('base64'),
  'base64 of "Bearer "+key': Buffer.from('Bearer ' + KEY).toString('base64'),
  'base64 of last 20': Buffer.from(KEY.slice(-20)).toString('base64'),
  'split by 7-char lines (SSE multi data)': KEY.match(/.{1,7}/g).map((p) => `data: ${p}`).join('\n'),
  'split 20/rest across newline': KEY.slice(0, 20) + '\n' + KEY.slice(20),
  'zero-width joiners': [...KEY].join('\u200b'),
  'JSON \\/ mixture (key w/o /)': KEY.replace(/-/g, '\\u002d'),
  'python repr b\'..\'': `b'${KEY}'`,
  'form-encoded in query': `?x_api_key=${encodeURIComponent(KEY)}&a=1`,
  'unicode fullwidth': [...KEY].map((c) => /[A-Za-z0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c).join(''),
};
for (const [name, text] of Object.entries(cases)) {
  const out = scrub(text);
  // decode the text back to see what the caller could read
  let decoded = out; try { decoded = JSON.parse(`"${out.replace(/"/g, '\\"')}"`); } catch {} try { decoded = decodeURIComponent(decodeURIComponent(decodeURIComponent(decoded))); } catch {}
  console.log(`${name.padEnd(40)} redacted=${out !== text} longest key run readable after decoding: ${leak(decoded).length} chars`);
}
