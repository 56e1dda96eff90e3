/**
 * Which stretches of a text, all of one width, could be one of a set of strings of that width (a key's pieces and
 * openings): the scrubber scans every header value of every answer for them, and nearly every text has none.
 *
 * Two stages, each letting through every stretch that is a member (and a few that are not):
 * - a skip table by the last two characters of a stretch, as in Wu and Manber's multi-pattern search: when those two
 *   end no member anywhere, the next stretch that could be one ends up to `width - 1` characters further on, so most
 *   positions are never read;
 * - a table by a hash of the members, for a stretch whose last two characters do end one somewhere.
 * Then the exact lookup (a string cut and a map lookup) runs only for the stretches left: none in nearly every text.
 * A table by a stretch's first character alone, before this, sent on to that lookup every position that starts
 * with a character some spelling starts with (a key has several: its own, and three base64 alignments in two
 * alphabets). The 26 header values of an OpenAI answer took 4.5–5.1 µs to scrub, and take 0.65–1.6 µs with this
 * (two, three or 3,000 keys; two short keys cost the most).
 */
// An odd multiplier (FNV's prime) for a stretch's hash, and a golden-ratio one that spreads it over the slots.
const base = 0x01000193;
const spread = 0x9e3779b1;
// About 16 slots per member (so about one stretch in 16 that gets past the skips goes on to the exact lookup), and at
// most 2^22 (a byte each: 4 MiB, which 3,000 keys' pieces fill to one slot in 9).
const maximumSlotsLog2 = 22;

const pairAt = (text: string, end: number): number => ((text.charCodeAt(end - 1) << 8) ^ text.charCodeAt(end)) & 0xffff;

const slotOf = (text: string, start: number, width: number, shift: number): number => {
  let hash = 0;
  for (let index = start; index < start + width; index += 1) hash = (Math.imul(hash, base) + text.charCodeAt(index)) | 0;
  return Math.imul(hash, spread) >>> shift;
};

/**
 * The filter for `members`, each exactly `width` code units long (`width` from 2 to 256): given a text, the start of
 * every stretch of it that may be a member, in order (every one that is, and a few that are not); undefined when
 * there is none.
 */
export const windowFilter = (members: readonly string[], width: number): ((text: string) => number[] | undefined) => {
  // By the hash of two characters: how far on the next stretch that could be a member ends (0: this one could).
  const skips = new Uint8Array(65_536).fill(width - 1);
  // Whether a member's hash has the slot its top bits pick.
  const shift = Math.max(32 - maximumSlotsLog2, Math.clz32(members.length * 16));
  const slots = new Uint8Array(2 ** (32 - shift));
  for (const member of members) {
    for (let end = 1; end < width; end += 1) {
      const pair = pairAt(member, end);
      skips[pair] = Math.min(skips[pair]!, width - 1 - end);
    }
    slots[slotOf(member, 0, width, shift)] = 1;
  }
  return (text) => {
    let starts: number[] | undefined;
    // `end` is where the stretch looked at ends; past one that could be a member, the next is one further on.
    for (let end = width - 1, skip = 0; end < text.length; end += skip || 1) {
      skip = skips[pairAt(text, end)]!;
      if (skip > 0) continue;
      const start = end - width + 1;
      if (slots[slotOf(text, start, width, shift)]) (starts ??= []).push(start);
    }
    return starts;
  };
};
