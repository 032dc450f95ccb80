export type { ApiInputValue, ApiLink, ApiListLiteral, ApiNode, ApiPrompt } from "./api-prompt.js";
export { isApiLink } from "./api-prompt.js";
export { type CompileOptions, type CompileTarget, compile } from "./compile.js";
export { CompileError } from "./compile-error.js";
export { type NodeOrigin, nodeOrigin, promptOrigins } from "./prompt-origins.js";
export { stringifyPrompt } from "./stringify-prompt.js";
