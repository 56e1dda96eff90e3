import { closeSync, openSync, readSync } from 'node:fs';
import { describeJsonSyntaxError } from '../config/json-syntax-error';

/**
 * Reads and parses a gateway config file. Errors name the file and, for a syntax error, the line and column and
 * what is wrong there; they never quote the file, which holds keys (V8's message for an unquoted value quoted ten
 * characters either side of it).
 */
export const readConfigFile = (path: string): unknown => {
  let text: string;
  try {
    text = readBounded(path);
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

// Far past any real config: a device that never ends (`/dev/zero`) would otherwise be read until memory runs out.
const maxConfigBytes = 64 * 1024 * 1024;

/**
 * The file's text, read up to `maxConfigBytes`. Read in pieces rather than by its size, so that a pipe
 * (`--config <(envsubst < detour.json)`) works as a file does.
 */
const readBounded = (path: string): string => {
  const descriptor = openSync(path, 'r');
  try {
    const pieces: Buffer[] = [];
    let total = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(64 * 1024);
      const read = readSync(descriptor, piece, 0, piece.length, null);
      if (read === 0) break;
      total += read;
      if (total > maxConfigBytes) throw new Error(`it is larger than ${maxConfigBytes / 1024 / 1024} MiB, which no config is`);
      pieces.push(piece.subarray(0, read));
    }
    return Buffer.concat(pieces, total).toString('utf8');
  } finally {
    closeSync(descriptor);
  }
};
