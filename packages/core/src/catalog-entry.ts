/**
 * `@comfy-ts/core/catalog`: the `/object_info` catalog (parse, normalize, look up, serialize) and the
 * two rules generated code shares with the runtime — the property names of a node's outputs and what
 * a link in an API prompt looks like — without the graph, the compiler and validation. Tools that
 * only read catalogs (codegen) load this: about 15 modules instead of 45.
 */
export * from "./catalog/index.js";
export { type ApiLink, type ApiPrompt, isApiLink } from "./compile/api-prompt.js";
export { type NodeSpec, type OutputSpec, outputPropertyNames } from "./graph/node-spec.js";
