// zod's English messages (zod 4's `en` locale), for the issues the compiled rules produce. A package whose schema
// is full zod (whose messages come from that locale: `Invalid input: expected array, received undefined`) keeps
// them when it validates with compiled rules instead; its agreement test checks every message against zod itself.
// (zod/mini has no locale: core's own options are rendered by `toIssues` from the issue's fields.)
import type { RuleIssue } from './rules';

const sizing: Readonly<Record<string, string>> = { string: 'characters', file: 'bytes', array: 'items', set: 'items', map: 'entries' };

const formats: Readonly<Record<string, string>> = { regex: 'input', url: 'URL' };

// zod's util.parsedType: what a value is, in a message.
const parsedType = (value: unknown): string => {
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  if (typeof value === 'object') {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (Object.getPrototypeOf(value) !== Object.prototype && 'constructor' in value && value.constructor) return (value.constructor as { name: string }).name;
  }
  return typeof value;
};

const typeName = (type: string, value?: unknown): string => {
  if (type === 'number' && typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return type === 'nan' ? 'NaN' : type;
};

const primitive = (value: unknown): string => (typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? `"${value}"` : `${String(value)}`);

/** The message zod's English locale gives `issue` (used when the rule carried no message of its own). */
export const englishMessage = (issue: RuleIssue): string => {
  switch (issue.code) {
    case 'invalid_type':
      return `Invalid input: expected ${typeName(String(issue.expected))}, received ${typeName(parsedType(issue.input), issue.input)}`;
    case 'invalid_value': {
      const values = issue.values ?? [];
      return values.length === 1 ? `Invalid input: expected ${primitive(values[0])}` : `Invalid option: expected one of ${values.map(primitive).join('|')}`;
    }
    case 'too_big': {
      const unit = sizing[issue.origin ?? ''];
      const bound = `${issue.inclusive ? '<=' : '<'}${String(issue.maximum)}`;
      return unit ? `Too big: expected ${issue.origin} to have ${bound} ${unit}` : `Too big: expected ${issue.origin ?? 'value'} to be ${bound}`;
    }
    case 'too_small': {
      const unit = sizing[issue.origin ?? ''];
      const bound = `${issue.inclusive ? '>=' : '>'}${String(issue.minimum)}`;
      return unit ? `Too small: expected ${issue.origin} to have ${bound} ${unit}` : `Too small: expected ${issue.origin} to be ${bound}`;
    }
    case 'invalid_format':
      if (issue.format === 'regex') return `Invalid string: must match pattern ${issue.pattern}`;
      return `Invalid ${formats[issue.format ?? ''] ?? issue.format}`;
    case 'unrecognized_keys':
      return `Unrecognized key${(issue.keys ?? []).length > 1 ? 's' : ''}: ${(issue.keys ?? []).map(primitive).join(', ')}`;
    case 'invalid_key':
      return `Invalid key in ${issue.origin}`;
    default:
      return 'Invalid input';
  }
};
