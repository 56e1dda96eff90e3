// @detour/core/schemas: the option schemas (zod/mini), for gateways that embed router options in a config of their
// own and for tooling that lists every option with its default, and the compiler that turns a zod schema into the
// plain rules `validate` (`@detour/core/binding`) checks with. As an entry of their own they build into a module of
// their own, which a bundle or process that never names them (a Worker that only routes, a gateway) leaves out along
// with zod.
export { routerOptionsSchema } from '../options/router-options-schema';
export { endpointSchema } from '../options/endpoint-schema';
export { compileRule, rulesModuleSource, type CompiledRule, type ModuleRule, type RuleHooks } from '../options/compile-rules';
