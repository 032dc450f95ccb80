import type { Tensor } from "../tensor/tensor.js";
import { node, T } from "./define.js";
import { PyFloat, pythonJsonDumps, pythonStr } from "./python-repr.js";
import { torchRepr } from "./torch-repr.js";

/** PreviewAny: the value as Python would print it (`str()` for scalars, `json.dumps` otherwise). */
export const previewAny = node(
  {
    name: "PreviewAny",
    display: "Preview Any",
    category: "utils",
    module: "comfy_extras.nodes_preview_any",
    outputNode: true,
    required: { source: T("*", {}) },
  },
  (inputs) => {
    const source = inputs.source;
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
