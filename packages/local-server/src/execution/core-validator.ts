import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type CustomValidator,
  fileExistsValidator,
  type NodeCatalog,
  parseCatalog,
  validatePromptRequest,
} from "@comfy-ts/core";
import type { ServerDirs } from "../files/folders.js";
import { annotatedFilepath, isInside } from "../files/safe-path.js";
import type { QueuedPrompt } from "../queue/queue-item.js";
import type { DefinitionEnv } from "./node-impl.js";
import type { NodeRegistry } from "./node-registry.js";
import type { PromptValidator, ValidationOutcome } from "./prompt-validator.js";

/** ComfyUI crashed on this prompt (a 500 answer): a prompt or node that is not an object, … */
export class PromptCrashError extends Error {
  readonly code = "ERR_PROMPT_CRASH";
  constructor(reason: string) {
    super(`POST /prompt: ComfyUI answers this body with 500 (${reason})`);
    this.name = "PromptCrashError";
  }
}

const FILE_LOADERS = ["LoadImage", "LoadImageMask", "LoadImageOutput"] as const;

/** Names of the combo inputs (legacy list or `"COMBO"`) that offer no value at all: model file lists. */
function emptyComboInputs(def: Record<string, unknown> | undefined): string[] {
  const input = (def?.input ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const names: string[] = [];
  for (const group of [input.required, input.optional]) {
    for (const [name, spec] of Object.entries(group ?? {})) {
      const type = Array.isArray(spec) ? spec[0] : undefined;
      const options = Array.isArray(spec)
        ? (spec[1] as { options?: unknown } | undefined)?.options
        : undefined;
      const values = Array.isArray(type)
        ? type
        : type === "COMBO" && Array.isArray(options)
          ? options
          : undefined;
      if (values !== undefined && values.length === 0) names.push(name);
    }
  }
  return names;
}

/**
 * Validation with core's `validatePromptRequest` (ComfyUI 0.3.65's answers, error types and
 * messages, coercion of literals) against the catalog this server serves, with LoadImage's file
 * checks done on this server's folders. The catalog is rebuilt only when the input folder changes
 * (its combo lists follow it). Empty combos of model nodes (their file lists: this server has no
 * model files) are exempt from the list check.
 */
export function createCoreValidator(
  registry: NodeRegistry,
  env: DefinitionEnv,
  dirs: ServerDirs,
): PromptValidator {
  let cached: { listing: string; catalog: NodeCatalog } | undefined;
  const catalog = (): NodeCatalog => {
    const listing = env.inputFiles().join("\n");
    if (!cached || cached.listing !== listing) {
      cached = { listing, catalog: parseCatalog(registry.objectInfo(env)) };
    }
    return cached.catalog;
  };
  const exists = (annotatedName: string): boolean => {
    const { name, dir } = annotatedFilepath(annotatedName, dirs);
    const base = dir ?? dirs.input;
    const path = join(base, name);
    return isInside(base, path) && existsSync(path);
  };
  const customValidators: Record<string, CustomValidator> = {};
  for (const classType of FILE_LOADERS) {
    if (registry.has(classType)) customValidators[classType] = fileExistsValidator(classType, exists);
  }
  // Model nodes list no model files here, so their file combos (ckpt_name, …) are empty and would
  // reject every value: exempt those so that model graphs validate and fail at run time with a
  // clear message. Combos with values (sampler_name, …) are still checked.
  for (const classType of registry.listedOnlyClassTypes()) {
    const inputs = emptyComboInputs(registry.define(classType, env));
    if (inputs.length > 0) customValidators[classType] = { inputs };
  }
  return (prompt, partialExecutionTargets): ValidationOutcome => {
    const body =
      partialExecutionTargets === undefined
        ? { prompt }
        : { prompt, partial_execution_targets: partialExecutionTargets };
    const outcome = validatePromptRequest(body, catalog(), { customValidators });
    if (outcome.status === 500) throw new PromptCrashError(outcome.reason);
    if (outcome.status === 400)
      return { ok: false, error: outcome.body.error, nodeErrors: outcome.body.node_errors };
    return {
      ok: true,
      prompt: outcome.result.prompt as QueuedPrompt,
      outputs: outcome.result.outputs,
      nodeErrors: outcome.nodeErrors,
    };
  };
}
