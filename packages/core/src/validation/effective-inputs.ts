import type { InputDef, NodeDef } from "../catalog/types.js";

/** One input as validation sees it: a prompt key and the definition it validates against. */
export interface EffectiveInput {
  /** The key in the API prompt: `steps`, or a V3 child such as `format.quality` / `images.image_1`. */
  readonly key: string;
  readonly def: InputDef;
  readonly required: boolean;
}

/**
 * The inputs of a node for the values it was given: V3 DynamicCombo children of the
 * chosen option (`format.quality`), and Autogrow entries (`images.image_1`; the first `min` required).
 * The Autogrow and DynamicCombo parents are not themselves validated against a socket type; a
 * DynamicCombo parent is a combo of its option keys.
 */
export function effectiveInputs(def: NodeDef, values: Readonly<Record<string, unknown>>): EffectiveInput[] {
  const out: EffectiveInput[] = [];
  for (const input of def.inputs) expand(input, input.name, input.required, values, out);
  return out;
}

function expand(
  input: InputDef,
  key: string,
  required: boolean,
  values: Readonly<Record<string, unknown>>,
  out: EffectiveInput[],
): void {
  if (input.kind === "autogrow") {
    input.names.forEach((name, i) => {
      const entryRequired = required && i < input.min;
      for (const t of input.template) {
        const childKey = input.template.length === 1 ? `${key}.${name}` : `${key}.${name}.${t.name}`;
        expand(t, childKey, entryRequired && t.required, values, out);
      }
    });
    return;
  }
  out.push({ key, def: input, required });
  if (input.kind === "dynamic_combo") {
    const chosen = values[key];
    const choice = input.choices.find((c) => c.key === chosen);
    if (!choice) return;
    for (const child of choice.inputs)
      expand(child, `${key}.${child.name}`, required && child.required, values, out);
  }
}
