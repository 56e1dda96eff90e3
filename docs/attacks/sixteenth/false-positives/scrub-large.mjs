// Cost of scrubbing a large legitimate answer (an 8 MB JSON answer: text with URL percent-escapes, as a web-search or
// code answer has), with one 40-char key configured. Every JSON answer the router serves goes through this.
import { createSecretScrubber } from '@detour/core';
const scrub = createSecretScrubber(['sk-proj-AbCdEfGh0123456789IjKlMnOpQrStUvWx']);
const plain = JSON.stringify({ content: 'word '.repeat(1.6e6) });
const escaped = JSON.stringify({ content: 'see https://x.y/a%20b?q=%2F '.repeat(8e6 / 28) });
for (const [label, text] of [['8 MB plain', plain], ['8 MB with %XX escapes', escaped]]) {
  const t0 = performance.now(); const out = scrub(text); const ms = performance.now() - t0;
  console.log(`${label}: ${ms.toFixed(0)} ms, unchanged=${out === text}, heapUsed=${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB`);
}
