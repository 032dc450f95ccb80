import { PyFloat, pyJsonDumps, pyStr } from "@comfy-ts/core/python";
import { isLink, linkedOutput } from "../execution/link.js";
import type { NodeContext } from "../execution/node-impl.js";
import { isTensor } from "../tensor/tensor.js";
import { torchRepr } from "../tensor/torch-repr.js";
import { defineNode, T } from "./define.js";

// comfy_extras/nodes_preview_any.py

/** PreviewAny: the value as Python would print it (`str()` for scalars, `json.dumps` otherwise). */
const previewAny = defineNode(
  {
    name: "PreviewAny",
    display: "Preview Any",
    category: "utils",
    module: "comfy_extras.nodes_preview_any",
    outputNode: true,
    required: { source: T("*", {}) },
  },
  (inputs, ctx) => {
    const source = floatIfLinkedFloat(inputs.source, ctx);
    let value: string;
    if (source === undefined || source === null) value = "None";
    else if (typeof source === "string") value = source;
    else if (
      typeof source === "number" ||
      typeof source === "boolean" ||
      typeof source === "bigint" ||
      source instanceof PyFloat
    ) {
      value = pyStr(source);
    } else if (isTensor(source)) {
      value = torchRepr(source);
    } else value = pyJsonDumps(source);
    return { ui: { text: [value] } };
  },
);

/** A number from a FLOAT output is a Python float (`str()` prints `3.0`). */
function floatIfLinkedFloat(value: unknown, ctx: NodeContext): unknown {
  if (typeof value !== "number") return value;
  const node = ctx.prompt[ctx.nodeId];
  const link =
    typeof node === "object" && node !== null && "inputs" in node && typeof node.inputs === "object"
      ? node.inputs !== null && "source" in node.inputs && node.inputs.source
      : undefined;
  if (!isLink(link)) return value;
  const from = ctx.prompt[link[0]];
  const classType =
    typeof from === "object" && from !== null && "class_type" in from ? from.class_type : undefined;
  const outputs = typeof classType === "string" ? ctx.catalog.nodes.get(classType)?.outputs : undefined;
  const type = outputs && linkedOutput(outputs, link[1])?.type;
  return type === "FLOAT" ? new PyFloat(value) : value;
}

export const nodes = [previewAny];
