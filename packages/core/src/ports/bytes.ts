// Moved out of ports/ (issue 13: ports hold ports only): `concatBytes` now lives in engine/concat-bytes.ts and
// `readStreamLimited` in fetch/read-stream-limited.ts. This re-export only keeps src/index.ts compiling until it
// imports from those files; delete it then.
export { concatBytes } from '../engine/concat-bytes';
export { readStreamLimited } from '../fetch/read-stream-limited';
