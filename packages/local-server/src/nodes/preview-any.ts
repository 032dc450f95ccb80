import type { Tensor } from "../tensor/tensor.js";
import { outputType } from "./catalog.js";
import { defineNode, T } from "./define.js";
import { PyFloat, pythonJsonDumps, pythonStr } from "./python-repr.js";
import { torchRepr } from "./torch-repr.js";

/** PreviewAny: the value as Python would print it (`str()` for scalars, `json.dumps` otherwise). */
export const previewAny = defineNode(
  {
    name: "PreviewAny",
    display: "Preview Any",
    category: "utils",
    module: "comfy_extras.nodes_preview_any",
    outputNode: true,
    required: { source: T("*", {}) },
  },
  (inputs, ctx) => {
    const source = floatIfLinkedFloat(inputs.source, ctx.prompt, ctx.nodeId);
    let value: string;
    if (source === undefined || source === null) value = "None";
    else if (typeof source === "string") value = source;
    else if (
      typeof source === "number" ||
      typeof source === "boolean" ||
      typeof source === "bigint" ||
      source instanceof PyFloat
    ) {
      value = pythonStr(source);
    } else if (
      typeof source === "object" &&
      "data" in source &&
      (source as { data: unknown }).data instanceof Float32Array
    ) {
      value = torchRepr(source as Tensor);
    } else value = pythonJsonDumps(source);
    return { ui: { text: [value] } };
  },
);

/** A number from a FLOAT output is a Python float (`str()` prints `3.0`). */
function floatIfLinkedFloat(value: unknown, prompt: Record<string, unknown>, nodeId: string): unknown {
  if (typeof value !== "number") return value;
  const link = (prompt[nodeId] as { inputs?: Record<string, unknown> } | undefined)?.inputs?.source;
  if (!Array.isArray(link)) return value;
  const from = prompt[String(link[0])] as { class_type?: string } | undefined;
  return from?.class_type && outputType(from.class_type, Number(link[1])) === "FLOAT"
    ? new PyFloat(value)
    : value;
}
