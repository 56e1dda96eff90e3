const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const shortDay = '(?:mon|tue|wed|thu|fri|sat|sun)';
const longDay = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const month = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)';
const time = '(\\d{2}):(\\d{2}):(\\d{2})';

// RFC 9110 §5.6.7: recipients must accept all three forms. Matched case-insensitively to be lenient with relays.
const imfFixdate = new RegExp(`^${shortDay}, (\\d{2}) ${month} (\\d{4}) ${time} GMT$`, 'i');
const rfc850Date = new RegExp(`^${longDay}, (\\d{2})-${month}-(\\d{2}) ${time} GMT$`, 'i');
const asctimeDate = new RegExp(`^${shortDay} ${month} ( \\d|\\d{2}) ${time} (\\d{4})$`, 'i');

const toEpoch = (year: number, monthName: string, day: number, hours: number, minutes: number, seconds: number) => {
  const monthIndex = months.indexOf(monthName.toLowerCase());
  if (monthIndex < 0 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 60) return undefined;
  const epoch = Date.UTC(year, monthIndex, day, hours, minutes, Math.min(seconds, 59));
  // Date.UTC rolls 31 Feb into March; a date that does not round-trip is not a date.
  return new Date(epoch).getUTCDate() === day ? epoch : undefined;
};

/**
 * Parses an HTTP-date in any of its three forms (IMF-fixdate, rfc850, asctime) to epoch milliseconds.
 * `nowMs` places rfc850's two-digit years: one more than 50 years ahead means the most recent past century.
 *
 * @example parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', Date.now()) // 784111777000
 */
export const parseHttpDate = (value: string, nowMs: number): number | undefined => {
  const text = value.trim();
  let match = imfFixdate.exec(text);
  if (match) return toEpoch(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  match = rfc850Date.exec(text);
  if (match) {
    const currentYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(currentYear / 100) * 100 + Number(match[3]);
    if (year > currentYear + 50) year -= 100;
    return toEpoch(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]));
  }
  match = asctimeDate.exec(text);
  if (match) return toEpoch(Number(match[6]), match[1]!, Number(match[2]!.trim()), Number(match[3]), Number(match[4]), Number(match[5]));
  return undefined;
};
