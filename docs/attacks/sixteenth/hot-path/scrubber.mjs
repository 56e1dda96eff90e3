// ../repo/packages/core/src/secrets/window-filter.ts
var base = 16777619;
var spread = 2654435761;
var maximumSlotsLog2 = 22;
var pairAt = (text, end) => (text.charCodeAt(end - 1) << 8 ^ text.charCodeAt(end)) & 65535;
var slotOf = (text, start, width, shift) => {
  let hash = 0;
  for (let index = start; index < start + width; index += 1) hash = Math.imul(hash, base) + text.charCodeAt(index) | 0;
  return Math.imul(hash, spread) >>> shift;
};
var windowFilter = (members, width) => {
  const skips = new Uint8Array(65536).fill(width - 1);
  const shift = Math.max(32 - maximumSlotsLog2, Math.clz32(members.length * 16));
  const slots = new Uint8Array(2 ** (32 - shift));
  for (const member of members) {
    for (let end = 1; end < width; end += 1) {
      const pair = pairAt(member, end);
      skips[pair] = Math.min(skips[pair], width - 1 - end);
    }
    slots[slotOf(member, 0, width, shift)] = 1;
  }
  return (text) => {
    let starts;
    for (let end = width - 1, skip = 0; end < text.length; end += skip || 1) {
      skip = skips[pairAt(text, end)];
      if (skip > 0) continue;
      const start = end - width + 1;
      if (slots[slotOf(text, start, width, shift)]) (starts ??= []).push(start);
    }
    return starts;
  };
};

// ../repo/packages/core/src/secrets/secret-scrubber.ts
var redactedMarker = "[redacted]";
var minimumSecretLength = 8;
var base64Forms = (secret) => {
  let bytes = "";
  for (const byte of new TextEncoder().encode(secret)) bytes += String.fromCharCode(byte);
  const forms = [];
  for (let offset = 0; offset < 3; offset += 1) {
    const stable = btoa("\0".repeat(offset) + bytes).slice(offset === 0 ? 0 : offset + 1, Math.floor((offset + bytes.length) * 8 / 6));
    if (stable.length >= minimumSecretLength) forms.push(stable, stable.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
};
var indexLiterals = (literals) => {
  const byOpening = /* @__PURE__ */ new Map();
  for (const literal of literals) {
    const opening = literal.slice(0, minimumSecretLength);
    let entry = byOpening.get(opening);
    if (!entry) byOpening.set(opening, entry = { lengths: [], spellings: /* @__PURE__ */ new Set() });
    entry.spellings.add(literal);
    if (!entry.lengths.includes(literal.length)) entry.lengths.push(literal.length);
  }
  for (const entry of byOpening.values()) entry.lengths.sort((left, right) => right - left);
  return byOpening;
};
var endsInside = (rest, entry) => {
  if (rest.length >= entry.lengths[0]) return false;
  for (const spelling of entry.spellings) if (spelling.startsWith(rest)) return true;
  return false;
};
var findLiterals = (text, starts, index, found) => {
  let next = 0;
  for (const at of starts) {
    if (at < next) continue;
    const entry = index.get(text.slice(at, at + minimumSecretLength));
    if (entry === void 0) continue;
    const length = entry.lengths.find((candidate) => entry.spellings.has(text.slice(at, at + candidate)));
    if (length === void 0) {
      if (endsInside(text.slice(at), entry)) {
        found.push(at, text.length);
        return;
      }
      continue;
    }
    found.push(at, at + length);
    next = at + length;
  }
};
var pieceable = (secret) => secret.length >= 16 && (secret.match(/[A-Za-z0-9]{12,}/g) ?? []).some((run) => Number(/[a-z]/.test(run)) + Number(/[A-Z]/.test(run)) + Number(/\d/.test(run)) >= 2);
var publicOpening = /^(?:[a-z]+[0-9]*[-_])+/;
var ownCharacters = 4;
var indexPieces = (secrets) => {
  const own = /* @__PURE__ */ new Map();
  for (const secret of secrets) {
    const opening = publicOpening.exec(secret)?.[0].length ?? 0;
    for (let offset = 0; offset + minimumSecretLength <= secret.length; offset += 1) {
      const piece = secret.slice(offset, offset + minimumSecretLength);
      const isOwn = offset + minimumSecretLength >= opening + ownCharacters;
      if (isOwn) own.set(piece, true);
      else if (!own.has(piece)) own.set(piece, false);
    }
  }
  return own;
};
var findPieces = (text, starts, pieces, found) => {
  let runStart = -1;
  let runEnd = -1;
  let runOwn = false;
  for (const at of starts) {
    const own = pieces.get(text.slice(at, at + minimumSecretLength));
    if (own === void 0) continue;
    if (at > runEnd) {
      if (runOwn) found.push(runStart, runEnd);
      runStart = at;
      runOwn = false;
    }
    runEnd = at + minimumSecretLength;
    runOwn ||= own;
  }
  if (runOwn) found.push(runStart, runEnd);
};
var anyEscape = /%[0-9a-f]{2}|\\u00[0-9a-f]{2}|\\\//i;
var mayHoldEscape = (text) => (text.includes("%") || text.includes("\\u") || text.includes("\\U") || text.includes("\\/")) && anyEscape.test(text);
var escapeAt = /%([0-9a-f]{2})|\\u00([0-9a-f]{2})|\\(\/)/iy;
var decodeEscapes = (text, from) => {
  const origin = [];
  let decoded = "";
  for (let at = 0; at < text.length; ) {
    origin.push(from ? from[at] : at);
    escapeAt.lastIndex = at;
    const match = escapeAt.exec(text);
    decoded += match ? match[3] ?? String.fromCharCode(Number.parseInt(match[1] ?? match[2], 16)) : text[at];
    at = match ? escapeAt.lastIndex : at + 1;
  }
  origin.push(from ? from[text.length] : text.length);
  return { decoded, origin };
};
var decodeRounds = 2;
var outsideEscape = (text, start) => {
  for (let back = 1; back <= 5 && back <= start; back += 1) {
    if (text.charCodeAt(start - back) !== 92) continue;
    let run = 1;
    while (start - back - run >= 0 && text.charCodeAt(start - back - run) === 92) run += 1;
    const span = text.charCodeAt(start - back + 1) === 117 ? 6 : 2;
    return run % 2 === 1 && back < span ? start - back : start;
  }
  return start;
};
var redactStretches = (text, found) => {
  const hidden = new Uint8Array(text.length);
  for (let index = 0; index < found.length; index += 2) hidden.fill(1, outsideEscape(text, found[index]), found[index + 1]);
  let out = "";
  for (let at = 0; at < text.length; ) {
    const from = at;
    const secret = hidden[at];
    while (at < text.length && hidden[at] === secret) at += 1;
    out += secret ? redactedMarker : text.slice(from, at);
  }
  return out;
};
var createSecretScrubber = (secrets) => {
  const distinct = [...new Set(secrets)];
  if (!lastBuilt || !sameSecrets(lastBuilt.secrets, distinct)) lastBuilt = { secrets: distinct, scrub: buildScrubber(distinct) };
  return lastBuilt.scrub;
};
var lastBuilt;
var sameSecrets = (left, right) => left.length === right.length && left.every((secret, index) => secret === right[index]);
var buildScrubber = (distinct) => {
  const raw = [];
  const literals = [];
  for (const secret of distinct) {
    if (secret.length < minimumSecretLength) continue;
    if (pieceable(secret)) raw.push(secret);
    else literals.push(secret);
    literals.push(...base64Forms(secret));
  }
  if (literals.length === 0) return (text) => text;
  const pieces = indexPieces(raw);
  const index = indexLiterals(literals);
  const possibleStarts = windowFilter([...pieces.keys(), ...index.keys()], minimumSecretLength);
  const find = (text, found) => {
    const starts = possibleStarts(text);
    if (starts === void 0) return;
    findPieces(text, starts, pieces, found);
    findLiterals(text, starts, index, found);
  };
  return (text) => {
    if (text.length < minimumSecretLength) return text;
    const found = [];
    find(text, found);
    let encoded = text;
    let from;
    for (let round = 0; round < decodeRounds && mayHoldEscape(encoded); round += 1) {
      const { decoded, origin } = decodeEscapes(encoded, from);
      const inDecoded = [];
      find(decoded, inDecoded);
      for (const at of inDecoded) found.push(origin[at]);
      encoded = decoded;
      from = origin;
    }
    return found.length === 0 ? text : redactStretches(text, found);
  };
};
var publicQueryNames = /* @__PURE__ */ new Set(["api-version", "apiversion", "version", "alt", "format"]);
var publicHeaders = /* @__PURE__ */ new Set([
  "accept",
  "accept-language",
  "anthropic-beta",
  "anthropic-version",
  "content-type",
  "http-referer",
  "openai-beta",
  "api-version",
  "openai-organization",
  "openai-project",
  "referer",
  "user-agent",
  "x-title"
]);
var endpointSecrets = (endpoints) => {
  const secrets = /* @__PURE__ */ new Set();
  for (const endpoint of endpoints) {
    if (endpoint.apiKey) secrets.add(endpoint.apiKey);
    for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
      if (!publicHeaders.has(name.toLowerCase())) secrets.add(value);
    }
    for (const [name, value] of Object.entries(endpoint.query ?? {})) {
      if (!publicQueryNames.has(name.toLowerCase())) secrets.add(value);
    }
  }
  return [...secrets];
};
export {
  createSecretScrubber,
  endpointSecrets,
  redactedMarker
};
