/**
 * The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag (the part between the first `{` and the next `}`,
 * when that part is not empty) or of the whole key, modulo 16384. Used by tests to prove every script's keys share
 * one slot; Redis computes the same (`CLUSTER KEYSLOT`).
 */
export const keySlot = (key: string): number => {
  const bytes = new TextEncoder().encode(key);
  let start = 0;
  let end = bytes.length;
  const open = bytes.indexOf(0x7b);
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1);
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let index = start; index < end; index += 1) {
    crc ^= bytes[index]! << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
};
