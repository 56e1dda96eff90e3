import { dashboardScript } from './dashboard-script';

// Colours meet WCAG AA (4.5:1) against their backgrounds; states are named in text too, never by colour alone.
const styles = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #ffffff; }
body { margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 96rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; }
a, button { color: #0b4db3; } :focus-visible { outline: 3px solid #0b4db3; outline-offset: 2px; }
button { font: inherit; padding: 0.35rem 0.8rem; border: 1px solid #0b4db3; border-radius: 4px; background: #fff; cursor: pointer; }
.bar { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
dl.summary { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; margin: 0.5rem 0; } dl.summary div { min-width: 9rem; }
dl.summary dt { font-size: 0.85rem; color: #4a4a4a; } dl.summary dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
.table-wrap { overflow-x: auto; } table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; color: #4a4a4a; padding: 0.25rem 0; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #d0d0d0; vertical-align: top; }
thead th { background: #f2f2f2; } td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; font-weight: 600; white-space: nowrap; }
.badge-ready { background: #e3f3e8; color: #0b5d27; } .badge-cooling { background: #fff1d6; color: #7a3e00; }
.badge-disabled, .badge-open { background: #fde7ea; color: #9a0c22; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.signal, .muted { color: #4a4a4a; } meter { width: 5rem; vertical-align: middle; }
ol.timeline { list-style: none; padding: 0; margin: 0; font-size: 0.9rem; } ol.timeline li { padding: 0.3rem 0; border-bottom: 1px solid #e3e3e3; }
ol.timeline time { font-variant-numeric: tabular-nums; color: #4a4a4a; margin-right: 0.5rem; }
.event-cooldown strong, .event-breaker strong { color: #7a3e00; } .event-cooldown-end strong { color: #0b5d27; }
`;

const head = (title: string) => `<th scope="col">${title}</th>`;

/**
 * The dashboard: one HTML document with its style and script inline (allowed by a per-response CSP nonce), no
 * fonts, images or scripts from anywhere else. Tables carry every figure, so the traffic-share meters have a text
 * equivalent. Only changes of an endpoint's state are announced (a polite live region), not every refresh.
 */
export const dashboardPage = (nonce: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Detour gateway dashboard</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${styles}</style>
</head>
<body>
<a class="skip" href="#endpoints-heading">Skip to endpoints</a>
<header class="bar">
  <div>
    <h1>Detour gateway</h1>
    <p id="scope" class="muted"></p>
  </div>
  <div>
    <button type="button" id="pause" aria-pressed="false">Pause updates</button>
    <p id="status">Loading…</p>
    <p id="announcer" class="visually-hidden" role="status" aria-live="polite"></p>
  </div>
</header>
<main>
<section aria-labelledby="summary-heading">
  <h2 id="summary-heading">Summary</h2>
  <dl class="summary">
    <div><dt>Requests served (last <span id="window">5 minutes</span>)</dt><dd id="served">–</dd></div>
    <div><dt>Endpoints not ready</dt><dd id="cooling">–</dd></div>
    <div><dt>Spend, last hour</dt><dd id="spend-total">–</dd></div>
    <div><dt>Wasted on failed attempts, last hour</dt><dd id="spend-wasted">–</dd></div>
    <div><dt>Queued for quota</dt><dd id="queue">–</dd></div>
  </dl>
</section>
<section aria-labelledby="endpoints-heading">
  <h2 id="endpoints-heading" tabindex="-1">Endpoints</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="endpoints-heading">
  <table id="endpoints">
    <caption>Each endpoint now (quota left: what the provider's rate-limit headers last said, less what is in flight since); traffic and latency over the last minutes (p50 / p99); spend over the last hour.</caption>
    <thead><tr>${['Endpoint', 'State', 'Available', 'Breaker', 'Cooldown', 'Reason and provider signal', 'Quota left', 'Traffic share', 'Served', 'Attempts', 'Success', 'Latency p50 / p99', 'First byte p50 / p99', 'Spend', 'Wasted'].map(head).join('')}</tr></thead>
    <tbody id="endpoint-rows"><tr><td colspan="15">Loading…</td></tr></tbody>
  </table>
  </div>
</section>
<section aria-labelledby="models-heading">
  <h2 id="models-heading">Models</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="models-heading">
  <table id="models">
    <caption>Per endpoint and model: availability now, attempts over the last minutes, spend over the last hour.</caption>
    <thead><tr>${['Endpoint', 'Model', 'Availability', 'Attempts', 'Success', 'Latency p50 / p99', 'Spend', 'Wasted'].map(head).join('')}</tr></thead>
    <tbody id="model-rows"></tbody>
  </table>
  </div>
</section>
<section aria-labelledby="keys-heading">
  <h2 id="keys-heading">Spend by gateway key</h2>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="keys-heading">
  <table id="keys">
    <caption>Last hour, by the key's configured name.</caption>
    <thead><tr>${['Gateway key', 'Served', 'Wasted (failed)', 'Abandoned', 'Total'].map(head).join('')}</tr></thead>
    <tbody id="key-rows"></tbody>
  </table>
  </div>
</section>
<section aria-labelledby="timeline-heading">
  <h2 id="timeline-heading">Timeline</h2>
  <p class="muted">Breaker changes, cooldowns and failovers, newest first.</p>
  <ol id="timeline" class="timeline" aria-labelledby="timeline-heading"></ol>
</section>
</main>
<script nonce="${nonce}">${dashboardScript}</script>
</body>
</html>
`;
