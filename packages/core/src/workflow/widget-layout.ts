import type { InputDef, NodeDef } from "../catalog/types.js";
import { WIDGET_KINDS } from "../catalog/types.js";

/** Values of the extra `control_after_generate` widget the editor adds after seeds and some combos. */
export const CONTROL_MODES: ReadonlySet<string> = new Set([
  "fixed",
  "increment",
  "decrement",
  "randomize",
  "increment-wrap",
]);

// Frontends before control_after_generate existed in /object_info added the control widget by input name.
const LEGACY_SEED_NAMES: ReadonlySet<string> = new Set(["seed", "noise_seed"]);

/**
 * One widget of a node as the editor creates it from the node definition, with the extra values the
 * editor stores after it in `widgets_values`.
 */
export interface WidgetSlot {
  readonly name: string;
  readonly input: InputDef;
  /** `control_after_generate` declared by the definition: one extra value (a control mode) follows. */
  readonly control: boolean;
  /** A seed-like INT of an old catalog: the editor added a control value anyway (detected by value). */
  readonly legacyControl: boolean;
  /** Combos with control also have a `control_filter_list` value (newer frontends only; detected by value). */
  readonly filterList: boolean;
  /** Upload combos have a button widget whose value (`"image"`, or `""` for audio) is stored too. */
  readonly uploadButton: string | undefined;
  /** A `forceInput` primitive: no widget, but legacy files stored a value for it. */
  readonly forceInput: boolean;
}

/** The widget inputs of a node definition in editor order: required then optional, server order. */
export function widgetSlots(def: NodeDef): WidgetSlot[] {
  return slotsOf(def.inputs);
}

export function slotsOf(inputs: readonly InputDef[]): WidgetSlot[] {
  const slots: WidgetSlot[] = [];
  for (const input of inputs) {
    if (!WIDGET_KINDS.has(input.kind)) continue;
    const control = controlOf(input) !== undefined;
    slots.push({
      name: input.name,
      input,
      control,
      legacyControl: !control && input.kind === "int" && LEGACY_SEED_NAMES.has(input.name),
      filterList: control && input.kind === "combo",
      uploadButton: input.kind === "combo" ? uploadButtonValue(input.upload) : undefined,
      forceInput: input.forceInput,
    });
  }
  return slots;
}

function uploadButtonValue(upload: string | undefined): string | undefined {
  switch (upload) {
    case "image":
    case "video":
    case "animated_image":
      return "image";
    case "audio":
      return "";
    default:
      return undefined;
  }
}

/** The control mode the editor starts with for a widget: the definition's mode, else `"randomize"`. */
export function defaultControlMode(input: InputDef): string {
  const cag = controlOf(input);
  return typeof cag === "string" ? cag : "randomize";
}

/** `control_after_generate` of a widget input (INT and COMBO in the catalog types; FLOAT from its raw options). */
function controlOf(input: InputDef): true | string | undefined {
  const cag: unknown =
    input.kind === "int" || input.kind === "combo"
      ? input.controlAfterGenerate
      : input.options["control_after_generate"];
  if (cag === true || typeof cag === "string") return cag;
  return undefined;
}

/** The value the editor gives a new widget: the definition's default, else the first combo value / zero / "". */
export function widgetDefault(input: InputDef): unknown {
  switch (input.kind) {
    case "int":
      return (
        input.default ?? (typeof input.min === "number" || typeof input.min === "bigint" ? input.min : 0)
      );
    case "float":
      return input.default ?? (input.min !== undefined && input.min > 0 ? input.min : 0);
    case "string":
      return input.default ?? "";
    case "boolean":
      return input.default ?? false;
    case "combo":
      return input.default ?? input.values[0];
    case "dynamic_combo":
      return input.default ?? input.choices[0]?.key;
    default:
      return undefined;
  }
}
