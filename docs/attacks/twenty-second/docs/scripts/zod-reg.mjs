import { register } from 'node:module'; register('./zod-hook.mjs', import.meta.url);
