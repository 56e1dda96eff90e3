import { readFileSync } from 'node:fs';
import { describeJsonSyntaxError } from '../config/json-syntax-error';

/**
 * Reads and parses a gateway config file. Errors name the file and, for a syntax error, the line and column and
 * what is wrong there; they never quote the file, which holds keys (V8's message for an unquoted value quoted ten
 * characters either side of it).
 */
export const readConfigFile = (path: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  // An editor's byte order mark is no part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot read the config file ${path}: ${describeJsonSyntaxError(text, (error as Error).message)}`);
  }
};
