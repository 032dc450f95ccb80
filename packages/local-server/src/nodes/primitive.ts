import { PyFloat } from "@comfy-ts/core/python";
import { BOOLEAN, defineNode, FLOAT, INT, out, STRING } from "./define.js";

// comfy_extras/nodes_primitive.py

const NODE = { category: "utils/primitive", module: "comfy_extras.nodes_primitive", v3: true } as const;
const I64 = 9223372036854775807n;

export const nodes = [
  defineNode(
    {
      ...NODE,
      name: "PrimitiveString",
      display: "String",
      required: { value: STRING({ multiline: false }) },
      outputs: [["STRING"]],
    },
    (i) => out(i.value),
  ),
  defineNode(
    {
      ...NODE,
      name: "PrimitiveStringMultiline",
      display: "String (Multiline)",
      required: { value: STRING({ multiline: true }) },
      outputs: [["STRING"]],
    },
    (i) => out(i.value),
  ),
  defineNode(
    {
      ...NODE,
      name: "PrimitiveInt",
      display: "Int",
      required: { value: INT({ min: -I64, max: I64, control_after_generate: true }) },
      outputs: [["INT"]],
    },
    (i) => out(i.value),
  ),
  defineNode(
    {
      ...NODE,
      name: "PrimitiveFloat",
      display: "Float",
      required: { value: FLOAT({ min: -I64, max: I64 }) },
      outputs: [["FLOAT"]],
    },
    // A Python float, so that PreviewAny and file metadata print it as Python would (`3.0`).
    (i) => out(new PyFloat(i.value)),
  ),
  defineNode(
    {
      ...NODE,
      name: "PrimitiveBoolean",
      display: "Boolean",
      required: { value: BOOLEAN({}) },
      outputs: [["BOOLEAN"]],
    },
    (i) => out(i.value),
  ),
];
