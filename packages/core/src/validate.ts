import type { NodeCatalog } from "./catalog/types.js";
import type { ApiPrompt } from "./compile/api-prompt.js";
import { type CompileOptions, type CompileTarget, compile } from "./compile/compile.js";
import { isNodeHandle } from "./graph/node-handle.js";
import { isOutput } from "./graph/output.js";
import { isGraph, isWorkflow } from "./graph/workflow.js";
import {
  type PromptValidationResult,
  type ValidatePromptOptions,
  validatePrompt,
} from "./validation/validate-prompt.js";

/**
 * Validates a graph (compiled first) or an API prompt against a catalog, reporting in one pass every
 * problem ComfyUI's own validation would — with the author's file:line for nodes made in TypeScript.
 *
 * ```ts
 * const result = validate(portrait, parseCatalogText(await readFile("object_info.json", "utf8")));
 * if (!result.valid) console.error(result.issues.map(formatIssue).join("\n"));
 * ```
 */
export function validate(
  target: CompileTarget | ApiPrompt,
  catalog: NodeCatalog,
  options: ValidatePromptOptions & { readonly compile?: CompileOptions } = {},
): PromptValidationResult {
  const prompt = isCompileTarget(target) ? compile(target, options.compile) : (target as ApiPrompt);
  return validatePrompt(prompt, catalog, options);
}

function isCompileTarget(value: unknown): value is CompileTarget {
  if (isWorkflow(value) || isGraph(value) || isNodeHandle(value) || isOutput(value) || Array.isArray(value))
    return true;
  if (typeof value !== "object" || value === null) return false;
  // An API prompt never holds a handle, so one is enough (compile() skips the other values, as it does).
  return Object.values(value).some((entry) => isNodeHandle(entry) || isOutput(entry));
}
