import type { ValidationFrames } from "@comfy-ts/core";

/**
 * The traceback frames ComfyUI 0.3.65 puts in `extra_info.traceback` when validation raises
 * (`traceback.format_tb`, Python 3.11 with its `^` markers). Lines 788/790/808 were recorded from a
 * real server; 730, 869, 882 and 1010 (the call in `validate_prompt`) are read from the same source
 * and not recorded. `root` replaces the server's install path (the recordings say `/srv/comfyui`).
 */
export const DEFAULT_TRACEBACK_ROOT = "/srv/comfyui";

interface Frame {
  readonly line: number;
  readonly fn: string;
  readonly code: string;
  /** Column span to mark with `^` (`~` before the `^` for subscripts), or undefined for no marker line. */
  readonly marker?: string;
}

function frame(root: string, f: Frame): string {
  const head = `  File "${root}/execution.py", line ${f.line}, in ${f.fn}\n    ${f.code}\n`;
  return f.marker === undefined ? head : `${head}    ${f.marker}\n`;
}

const INNER_CALL = "r = await validate_inputs(prompt_id, prompt, o_id, validated)";
const OUTER_CALL = "m = await validate_inputs(prompt_id, prompt, o, validated)";

/** ComfyUI 0.3.65's frames for core's `validatePrompt`, with `root` as the install path. */
export function comfyValidationFrames(root = DEFAULT_TRACEBACK_ROOT): ValidationFrames {
  return {
    outerCall: () => [outerCallFrame(root)],
    innerCall: () => [innerCallFrame(root)],
    missingInputs: () => [missingInputsFrame(root)],
    missingNode: () => [missingNodeFrame(root)],
    outputIndex: () => [outputIndexFrame(root)],
    compare: (which) => [compareFrame(root, which)],
  };
}

/** `validate_inputs` of a consumer awaiting its linked node (the frame that catches the exception). */
export function innerCallFrame(root: string): string {
  return frame(root, {
    line: 808,
    fn: "validate_inputs",
    code: INNER_CALL,
    marker: underline(INNER_CALL, "await"),
  });
}

/** `validate_prompt` awaiting an output node. */
export function outerCallFrame(root: string): string {
  return frame(root, {
    line: 1010,
    fn: "validate_prompt",
    code: OUTER_CALL,
    marker: underline(OUTER_CALL, "await"),
  });
}

/** `prompt[o_id]['class_type']` with a link to a node id that is not in the prompt. */
export function missingNodeFrame(root: string): string {
  const code = "o_class_type = prompt[o_id]['class_type']";
  return frame(root, { line: 788, fn: "validate_inputs", code, marker: `${" ".repeat(15)}~~~~~~^^^^^^` });
}

/** `prompt[unique_id]['inputs']` of a node without `inputs`. */
export function missingInputsFrame(root: string): string {
  const code = "inputs = prompt[unique_id]['inputs']";
  return frame(root, {
    line: 730,
    fn: "validate_inputs",
    code,
    marker: `${" ".repeat(9)}${"~".repeat(17)}${"^".repeat(10)}`,
  });
}

/** `RETURN_TYPES[val[1]]` with a bad output index. */
export function outputIndexFrame(root: string): string {
  const code = "received_type = r[val[1]]";
  return frame(root, { line: 790, fn: "validate_inputs", code, marker: `${" ".repeat(16)}~^^^^^^^^` });
}

/** A min or max comparison between values Python cannot order (`'<' not supported …`). */
export function compareFrame(root: string, which: "min" | "max"): string {
  const code =
    which === "min"
      ? 'if "min" in extra_info and val < extra_info["min"]:'
      : 'if "max" in extra_info and val > extra_info["max"]:';
  return frame(root, { line: which === "min" ? 869 : 882, fn: "validate_inputs", code });
}

function underline(code: string, from: string): string {
  const start = code.indexOf(from);
  return `${" ".repeat(start)}${"^".repeat(code.length - start)}`;
}
