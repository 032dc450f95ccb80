import { BOOLEAN, defineNode, FLOAT, INT, out, STRING } from "./define.js";
import { PyFloat } from "./python-repr.js";

const MOD = "comfy_extras.nodes_primitive";
const CAT = "utils/primitive";
const I64 = 9223372036854775807n;

function primitive(
  name: string,
  display: string,
  type: string,
  spec: readonly unknown[],
  convert: (v: unknown) => unknown,
) {
  return defineNode(
    { name, display, category: CAT, module: MOD, v3: true, required: { value: spec }, outputs: [[type]] },
    (inputs) => out(convert(inputs.value)),
  );
}

export const primitiveString = primitive(
  "PrimitiveString",
  "String",
  "STRING",
  STRING({ multiline: false }),
  String,
);
export const primitiveStringMultiline = primitive(
  "PrimitiveStringMultiline",
  "String (Multiline)",
  "STRING",
  STRING({ multiline: true }),
  String,
);
export const primitiveInt = primitive(
  "PrimitiveInt",
  "Int",
  "INT",
  INT({ min: -I64, max: I64, control_after_generate: true }),
  (v) => v,
);
export const primitiveFloat = primitive(
  "PrimitiveFloat",
  "Float",
  "FLOAT",
  FLOAT({ min: -I64, max: I64 }),
  (v) => (v instanceof PyFloat ? v : new PyFloat(Number(v))),
);
export const primitiveBoolean = primitive("PrimitiveBoolean", "Boolean", "BOOLEAN", BOOLEAN({}), Boolean);
