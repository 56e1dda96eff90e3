/** Whether a UTF-16 code is an ASCII digit (what `\d` matches). */
export const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/**
 * Whether `text` is one or more ASCII digits and nothing else: the shape nearly every rate-limit count arrives in,
 * checked by a scan so the common case skips the regular expressions that read the rest.
 */
export const isAsciiDigits = (text: string): boolean => {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index += 1) if (!isDigitCode(text.charCodeAt(index))) return false;
  return true;
};
