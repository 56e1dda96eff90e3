/**
 * The dashboard's script, run in the browser as is (no build step, no library). It polls `/admin/state` every two
 * seconds (the browser resends the admin key it was asked for) and draws with `textContent` only: model names and
 * reasons come from callers and providers, so nothing is ever parsed as HTML. Countdowns tick every second between
 * polls, from the server's clock. Written without template literals so it can live in a TypeScript string.
 */
export const dashboardScript = String.raw`
'use strict';
var pollMs = 2000;
var paused = false;
var last = null;
var clockOffset = 0;
var timer = null;
var byId = function (id) { return document.getElementById(id); };
var el = function (tag, text, className) {
  var node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
};
var usd = function (value) {
  if (value === null || value === undefined) return '\u2013';
  return '$' + (value >= 1 ? value.toFixed(2) : value.toFixed(6));
};
var pct = function (value) { return value === null || value === undefined ? '\u2013' : (value * 100).toFixed(value === 1 || value === 0 ? 0 : 1) + ' %'; };
var ms = function (value) { return value === null || value === undefined ? '\u2013' : value + ' ms'; };
var pair = function (a, b) { return ms(a) + ' / ' + ms(b); };
var serverNow = function () { return Date.now() + clockOffset; };
var secondsLeft = function (until) { return Math.max(0, Math.ceil((until - serverNow()) / 1000)); };
var stateLabel = { ready: 'Ready', cooling: 'Cooling', disabled: 'Disabled', open: 'Breaker open' };

var cell = function (row, text, className) { var td = el('td', text, className); row.appendChild(td); return td; };
var replaceRows = function (tbody, rows, empty, columns) {
  tbody.replaceChildren();
  if (rows.length === 0) {
    var tr = el('tr');
    var td = el('td', empty);
    td.colSpan = columns;
    tr.appendChild(td);
    tbody.appendChild(tr);
    return;
  }
  rows.forEach(function (row) { tbody.appendChild(row); });
};

var countdownText = function (endpoint) {
  if (endpoint.cooldownUntil === null) return 'None';
  var left = secondsLeft(endpoint.cooldownUntil);
  if (left === 0) return 'Ending';
  var models = endpoint.modelCooldowns.length > 0 ? ' (' + endpoint.modelCooldowns.map(function (cooldown) { return cooldown.model; }).join(', ') + ')' : '';
  return left + ' s left' + models;
};

// Quota left per dimension the provider reports, with when it is whole again: "requests 59 · tokens 39000 (whole in 2 s)".
var quotaText = function (endpoint) {
  if (endpoint.quota.length === 0) return '\u2013';
  return endpoint.quota.map(function (entry) {
    return entry.dimension + ' ' + entry.remaining + (entry.wholeAt === null ? '' : ' (whole in ' + secondsLeft(entry.wholeAt) + ' s)');
  }).join(' · ');
};

var drawEndpoints = function (state) {
  var rows = state.endpoints.map(function (endpoint) {
    var tr = el('tr');
    tr.dataset.endpoint = endpoint.name;
    tr.dataset.state = endpoint.state;
    var name = el('th', endpoint.name);
    name.scope = 'row';
    tr.appendChild(name);
    var stateCell = cell(tr, '');
    stateCell.appendChild(el('span', stateLabel[endpoint.state] || endpoint.state, 'badge badge-' + endpoint.state));
    cell(tr, endpoint.available ? 'Yes' : 'No');
    cell(tr, endpoint.breaker.replace('_', '-'));
    var countdown = cell(tr, countdownText(endpoint), 'countdown');
    countdown.dataset.until = endpoint.cooldownUntil === null ? '' : String(endpoint.cooldownUntil);
    countdown.dataset.models = endpoint.modelCooldowns.map(function (cooldown) { return cooldown.model; }).join(', ');
    var why = cell(tr, '');
    if (endpoint.reason) why.appendChild(el('span', endpoint.reason));
    if (endpoint.signal) { why.appendChild(el('br')); why.appendChild(el('span', 'Signal: ' + endpoint.signal, 'signal')); }
    if (!endpoint.reason && !endpoint.signal) why.textContent = '\u2013';
    cell(tr, quotaText(endpoint), 'quota');
    var share = cell(tr, '', 'share');
    var meter = el('meter');
    meter.min = 0; meter.max = 1; meter.value = endpoint.trafficShare || 0;
    meter.setAttribute('aria-label', endpoint.name + ' traffic share ' + pct(endpoint.trafficShare));
    share.appendChild(meter);
    share.appendChild(el('span', ' ' + pct(endpoint.trafficShare)));
    cell(tr, endpoint.served, 'number');
    cell(tr, endpoint.attempts, 'number');
    cell(tr, pct(endpoint.successRate), 'number');
    cell(tr, pair(endpoint.latencyP50Ms, endpoint.latencyP99Ms), 'number');
    cell(tr, pair(endpoint.firstByteP50Ms, endpoint.firstByteP99Ms), 'number');
    cell(tr, usd(endpoint.spendUsd), 'number spend');
    cell(tr, usd(endpoint.wastedUsd), 'number wasted');
    return tr;
  });
  replaceRows(byId('endpoint-rows'), rows, 'No endpoints.', 15);
};

var drawModels = function (state) {
  var rows = [];
  state.endpoints.forEach(function (endpoint) {
    endpoint.models.forEach(function (model) {
      var tr = el('tr');
      tr.dataset.endpoint = endpoint.name;
      tr.dataset.model = model.model;
      cell(tr, endpoint.name);
      var name = el('th', model.model);
      name.scope = 'row';
      tr.appendChild(name);
      // A model is unavailable on this endpoint while the endpoint is out, or while its own rate limit cools it.
      var cooling = endpoint.modelCooldowns.filter(function (cooldown) { return cooldown.model === model.model; })[0];
      var until = endpoint.state !== 'ready' && endpoint.modelCooldowns.length === 0 ? endpoint.cooldownUntil : cooling ? cooling.until : null;
      var availability = cell(tr, until === null ? (endpoint.state === 'open' ? 'Breaker open' : 'Available') : secondsLeft(until) + ' s left', 'countdown');
      availability.dataset.until = until === null ? '' : String(until);
      availability.dataset.models = '';
      cell(tr, model.attempts, 'number');
      cell(tr, pct(model.successRate), 'number');
      cell(tr, pair(model.p50Ms, model.p99Ms), 'number');
      cell(tr, usd(model.spendUsd), 'number spend');
      cell(tr, usd(model.wastedUsd), 'number wasted');
      rows.push(tr);
    });
    if (endpoint.modelsOmitted > 0) {
      var more = el('tr');
      cell(more, endpoint.name);
      cell(more, '... and ' + endpoint.modelsOmitted + ' more models, counted in the endpoint\'s figures');
      rows.push(more);
    }
  });
  replaceRows(byId('model-rows'), rows, 'No traffic yet.', 8);
};

var drawKeys = function (state) {
  var rows = state.spend.byKey.map(function (row) {
    var tr = el('tr');
    var name = el('th', row.key === null ? '(no key)' : row.key);
    name.scope = 'row';
    tr.appendChild(name);
    cell(tr, usd(row.successUsd), 'number');
    cell(tr, usd(row.failedUsd), 'number');
    cell(tr, usd(row.abandonedUsd), 'number');
    cell(tr, usd(row.totalUsd), 'number');
    return tr;
  });
  replaceRows(byId('key-rows'), rows, 'No spend in the last hour.', 5);
};

var drawTimeline = function (state) {
  var list = byId('timeline');
  list.replaceChildren();
  if (state.timeline.length === 0) { list.appendChild(el('li', 'Nothing has happened yet.')); return; }
  state.timeline.forEach(function (entry) {
    var item = el('li', null, 'event event-' + entry.kind);
    item.dataset.kind = entry.kind;
    item.dataset.endpoint = entry.endpoint;
    var time = el('time', new Date(entry.at).toLocaleTimeString());
    time.dateTime = new Date(entry.at).toISOString();
    item.appendChild(time);
    item.appendChild(el('strong', ' ' + entry.endpoint + ': '));
    item.appendChild(el('span', entry.text));
    if (entry.reason) item.appendChild(el('span', ' · ' + entry.reason, 'muted'));
    if (entry.signal) item.appendChild(el('span', ' · ' + entry.signal, 'muted'));
    list.appendChild(item);
  });
};

// Screen readers hear when an endpoint changes state, not every two-second refresh.
var announced = {};
var announce = function (state) {
  var changes = [];
  state.endpoints.forEach(function (endpoint) {
    if (announced[endpoint.name] !== undefined && announced[endpoint.name] !== endpoint.state) {
      changes.push(endpoint.name + ' is now ' + (stateLabel[endpoint.state] || endpoint.state).toLowerCase());
    }
    announced[endpoint.name] = endpoint.state;
  });
  if (changes.length > 0) byId('announcer').textContent = changes.join('. ') + '.';
};

var draw = function (state) {
  byId('window').textContent = Math.round(state.windowSeconds / 60) + ' minutes';
  byId('scope').textContent = state.scope;
  var served = state.endpoints.reduce(function (sum, endpoint) { return sum + endpoint.served; }, 0);
  byId('served').textContent = String(served);
  byId('spend-total').textContent = usd(state.spend.totalUsd);
  byId('spend-wasted').textContent = usd(state.spend.wastedUsd);
  byId('cooling').textContent = String(state.endpoints.filter(function (endpoint) { return endpoint.state !== 'ready'; }).length) + ' of ' + state.endpoints.length;
  byId('queue').textContent = state.queue === null ? 'off' : String(state.queue.total);
  drawEndpoints(state);
  drawModels(state);
  drawKeys(state);
  drawTimeline(state);
  announce(state);
};

var tick = function () {
  if (!last) return;
  document.querySelectorAll('#endpoint-rows td.countdown, #model-rows td.countdown').forEach(function (td) {
    var until = Number(td.dataset.until);
    if (!td.dataset.until) return;
    var left = secondsLeft(until);
    td.textContent = left === 0 ? 'Ending' : left + ' s left' + (td.dataset.models ? ' (' + td.dataset.models + ')' : '');
  });
};

var poll = async function () {
  timer = null;
  if (paused) return;
  try {
    var response = await fetch('/admin/state', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error('the gateway answered ' + response.status);
    var state = await response.json();
    clockOffset = state.now - Date.now();
    last = state;
    draw(state);
    byId('status').textContent = 'Updated ' + new Date(state.now).toLocaleTimeString() + '.';
    document.body.dataset.loaded = 'true';
  } catch (error) {
    byId('status').textContent = 'Could not refresh: ' + error.message + '. Retrying.';
  }
  timer = setTimeout(poll, pollMs);
};

byId('pause').addEventListener('click', function () {
  paused = !paused;
  this.setAttribute('aria-pressed', String(paused));
  this.textContent = paused ? 'Resume updates' : 'Pause updates';
  if (!paused && timer === null) poll();
});
setInterval(tick, 1000);
poll();
`;
