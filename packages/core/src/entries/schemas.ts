// @detour/core/schemas: the option schemas (zod/mini), for gateways that embed router options in a config of their
// own and for tooling that lists every option with its default. `@detour/core/binding` re-exports them too; as an
// entry of their own they build into a module of their own, which a bundle that never names them (a Worker that
// only routes) leaves out along with zod.
export { routerOptionsSchema } from '../options/router-options-schema';
export { endpointSchema } from '../options/endpoint-schema';
