const typeKey = '"type"';

/** JSON's blanks: an event's data joined from several `data:` lines holds line feeds between its members. */
const isBlank = (code: number): boolean => code === 32 || code === 10 || code === 13 || code === 9;

/**
 * The `type` of an event's JSON when it is the object's first key, as the Responses API and Anthropic write every
 * event (`{"type":"response.output_text.delta",…}`, Anthropic's ping even as `{"type": "ping"}`); '' otherwise.
 * For a stream that leaves out `event:` lines. A scan of the first few characters, not a parse: chat completion
 * chunks (`{"id":…`) fail it at once.
 */
export const leadingType = (data: string): string => {
  let index = 0;
  while (isBlank(data.charCodeAt(index))) index += 1;
  if (data.charCodeAt(index) !== 123 /* { */) return '';
  index += 1;
  while (isBlank(data.charCodeAt(index))) index += 1;
  if (!data.startsWith(typeKey, index)) return '';
  index += typeKey.length;
  while (isBlank(data.charCodeAt(index))) index += 1;
  if (data.charCodeAt(index) !== 58 /* : */) return '';
  index += 1;
  while (isBlank(data.charCodeAt(index))) index += 1;
  if (data.charCodeAt(index) !== 34 /* " */) return '';
  const end = data.indexOf('"', index + 1);
  // Event types are short plain words; anything escaped or long is not one.
  if (end < 0 || end - index > 64) return '';
  const type = data.slice(index + 1, end);
  return type.includes('\\') ? '' : type;
};
