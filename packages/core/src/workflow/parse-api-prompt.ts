import { z } from "zod";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { type WorkflowErrorOptions, WorkflowSchemaError } from "./errors.js";
import { zodIssues } from "./parse-ui-workflow.js";
import { parseWorkflowJson } from "./parse-workflow-json.js";

const apiNodeSchema = z.looseObject({
  class_type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()),
  _meta: z.looseObject({ title: z.string().optional() }).optional(),
});

const apiPromptSchema = z.record(z.string(), apiNodeSchema);

/** True when `value` looks like an API prompt: an object whose values all have a `class_type`. */
export function isApiPromptJson(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const nodes = Object.values(value);
  return (
    nodes.length > 0 &&
    nodes.every(
      (n) =>
        typeof n === "object" &&
        n !== null &&
        typeof (n as Record<string, unknown>)["class_type"] === "string",
    )
  );
}

export interface ParseApiPromptOptions extends WorkflowErrorOptions {
  /** Keep the server-written `is_changed` keys of prompts taken from images (default: strip them). */
  readonly keepIsChanged?: boolean;
}

/**
 * Reads an API prompt ("Save (API)" in ComfyUI, or the `prompt` chunk of an image): checks every node
 * has a `class_type` and `inputs`, keeps big integers exact, strips `is_changed`.
 */
export function parseApiPrompt(input: string | unknown, options: ParseApiPromptOptions = {}): ApiPrompt {
  const doc = typeof input === "string" ? parseWorkflowJson(input, options) : input;
  const parsed = apiPromptSchema.safeParse(doc);
  if (!parsed.success) throw new WorkflowSchemaError("API prompt", zodIssues(parsed.error), options);
  const prompt = parsed.data as ApiPrompt;
  if (!options.keepIsChanged) for (const node of Object.values(prompt)) delete node.is_changed;
  return prompt;
}
