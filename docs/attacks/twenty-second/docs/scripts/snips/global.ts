// packages/node/README.md line 33, as written in a TypeScript module
import { createFetch, type RouterOptionsInput } from '@detour/node';
declare const config: RouterOptionsInput;
globalThis.detourFetch ??= createFetch(config);
