import { Buffer } from "node:buffer";
const knownNames = /* @__PURE__ */ new Map();
const bitsByName = /* @__PURE__ */ new Map();
const knownNamesCap = 512;
const nameOf = (spelled) => {
  let known = knownNames.get(spelled);
  if (known === void 0) {
    const name = spelled.toLowerCase();
    let bit = bitsByName.get(name);
    if (bit === void 0) {
      bit = bitsByName.size < 32 ? 1 << bitsByName.size : 0;
      if (bitsByName.size < knownNamesCap) bitsByName.set(name, bit);
    }
    known = { spelled, name, bit };
    if (knownNames.size < knownNamesCap) knownNames.set(spelled, known);
  }
  return known;
};
const lastOrder = new Array(64).fill(void 0);
const nameAt = (position, spelled) => {
  const last = position < lastOrder.length ? lastOrder[position] : void 0;
  if (last !== void 0 && last.spelled === spelled) return last;
  const known = nameOf(spelled);
  if (position < lastOrder.length) lastOrder[position] = known;
  return known;
};
const textOf = (field) => {
  if (typeof field === "string") return field;
  if (field instanceof Buffer) return field.latin1Slice();
  if (Array.isArray(field)) return field.map((item) => textOf(item));
  const bytes = field;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
};
const setField = (record, name, value) => {
  if (name === "__proto__") Object.defineProperty(record, name, { value, enumerable: true, configurable: true, writable: true });
  else record[name] = value;
};
const headerRecord = (raw) => {
  const record = {};
  let seen = 0;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const field = raw[index];
    const spelled = textOf(field);
    const { name, bit } = nameAt(index >> 1, typeof spelled === "string" ? spelled : String(spelled));
    const value = textOf(raw[index + 1]);
    const repeated = bit === 0 ? Object.hasOwn(record, name) : (seen & bit) !== 0;
    seen |= bit;
    if (!repeated) {
      setField(record, name, value);
      continue;
    }
    const earlier = record[name];
    const list = typeof earlier === "string" ? [earlier] : earlier;
    if (typeof value === "string") list.push(value);
    else list.push(...value);
    if (typeof earlier === "string") setField(record, name, list);
  }
  return record;
};
export {
  headerRecord
};
