import type { ApiPrompt } from "../compile/api-prompt.js";
import { UnknownWorkflowFormatError } from "./errors.js";
import { isImageBytes, readImageMetadata } from "./image-metadata.js";
import { isApiPromptJson, type ParseApiPromptOptions, parseApiPrompt } from "./parse-api-prompt.js";
import { isUiWorkflowJson, type ParseUiWorkflowOptions, parseUiWorkflow } from "./parse-ui-workflow.js";
import { parseWorkflowJson } from "./parse-workflow-json.js";
import type { UiWorkflow } from "./ui-workflow.js";

/** A workflow file, read: an API prompt, a UI workflow, or (from an image) both when both are stored. */
export type WorkflowInput =
  | {
      readonly kind: "api";
      readonly prompt: ApiPrompt;
      readonly workflow?: UiWorkflow | undefined;
      readonly from: "json" | "png" | "webp";
    }
  | { readonly kind: "ui"; readonly workflow: UiWorkflow; readonly from: "json" | "png" | "webp" };

export type ReadWorkflowOptions = ParseApiPromptOptions & ParseUiWorkflowOptions;

/**
 * Reads any workflow file ComfyUI writes: an API prompt (JSON), a UI workflow (JSON, 0.4 or 1), or a
 * PNG/WebP image with `prompt` / `workflow` metadata. For images the stored API prompt is preferred
 * (`kind: "api"`, it is exactly what ran); the UI workflow comes along when present.
 *
 * @example
 * const input = await readWorkflow(await readFile("ComfyUI_00001_.png"), { source: "ComfyUI_00001_.png" });
 * const prompt = input.kind === "api" ? input.prompt : uiToApi(input.workflow, catalog);
 */
export async function readWorkflow(
  input: Uint8Array | string,
  options: ReadWorkflowOptions = {},
): Promise<WorkflowInput> {
  if (typeof input !== "string" && isImageBytes(input)) {
    const metadata = await readImageMetadata(input, options);
    const promptText = metadata.entries.get("prompt");
    const workflowText = metadata.entries.get("workflow");
    const workflow =
      workflowText === undefined
        ? undefined
        : parseUiWorkflow(workflowText, { ...options, source: chunkSource(options, "workflow") });
    if (promptText !== undefined) {
      const prompt = parseApiPrompt(promptText, { ...options, source: chunkSource(options, "prompt") });
      return { kind: "api", prompt, workflow, from: metadata.format };
    }
    return { kind: "ui", workflow: workflow!, from: metadata.format };
  }
  const text = typeof input === "string" ? input : new TextDecoder("utf-8").decode(input);
  const doc = parseWorkflowJson(text, options);
  if (isUiWorkflowJson(doc)) return { kind: "ui", workflow: parseUiWorkflow(doc, options), from: "json" };
  if (isApiPromptJson(doc)) return { kind: "api", prompt: parseApiPrompt(doc, options), from: "json" };
  // ComfyUI's POST /prompt body, or a history entry's prompt: the API prompt under `prompt`.
  if (
    typeof doc === "object" &&
    doc !== null &&
    isApiPromptJson((doc as Record<string, unknown>)["prompt"])
  ) {
    return {
      kind: "api",
      prompt: parseApiPrompt((doc as Record<string, unknown>)["prompt"], options),
      from: "json",
    };
  }
  throw new UnknownWorkflowFormatError(
    "not a ComfyUI workflow: expected a UI workflow (an object with `nodes` and `links`), an API prompt " +
      '(an object of `{"class_type", "inputs"}` nodes keyed by id), or a PNG/WebP saved by ComfyUI',
    options,
  );
}

function chunkSource(options: ReadWorkflowOptions, chunk: string): string {
  return options.source ? `${options.source} (${chunk} metadata)` : `${chunk} metadata`;
}
