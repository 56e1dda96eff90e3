import { lastMemberValue } from './json-member';

/**
 * The request body (valid JSON) with its top-level `model` replaced and every other byte as the caller sent it, or
 * undefined when it has no top-level `model` member (the caller then re-serialises). Re-serialising the parsed body
 * would round integers past 2^53 (a `seed` of 9223372036854775807 became 9223372036854776000) and respell numbers
 * and escapes; a splice changes only the name. When `model` appears more than once, the last is the one a parser
 * reads (and Detour routed by), so the last is replaced.
 */
export const renameModel = (text: string, model: string): string | undefined => {
  const span = lastMemberValue(text, 'model');
  return span && `${text.slice(0, span[0])}${JSON.stringify(model)}${text.slice(span[1])}`;
};
