import type { DynamicComboInputDef, InputDef } from "../catalog/types.js";
import { CONTROL_MODES, slotsOf, type WidgetSlot } from "./widget-layout.js";

/** A widget value found in `widgets_values`, by input name. */
export interface AssignedWidget {
  readonly slot: WidgetSlot;
  readonly value: unknown;
  /** Where the value is in `widgets_values`: its index (array form) or its key (object form). */
  readonly at: number | string;
}

/**
 * Matches a node's saved `widgets_values` with its widget inputs: one value per
 * widget, linked or not, skipping the editor-only extras (control mode, filter list, upload button)
 * where the values show them. Legacy files that also stored values for `forceInput` inputs are
 * recognised by their length. Values missing at the end are left out (the caller uses defaults).
 *
 * @returns the widgets with a value, and how many saved values were not used
 */
export function assignWidgetValues(
  slots: readonly WidgetSlot[],
  values: readonly unknown[] | Readonly<Record<string, unknown>>,
): { assigned: AssignedWidget[]; unused: number } {
  if (!Array.isArray(values)) {
    const byName = values as Readonly<Record<string, unknown>>;
    const assigned: AssignedWidget[] = [];
    for (const slot of slots) {
      if (slot.forceInput || !Object.hasOwn(byName, slot.name)) continue;
      assigned.push({ slot, value: byName[slot.name], at: slot.name });
      assigned.push(...dynamicChildren(slot, byName[slot.name], byName));
    }
    return { assigned, unused: 0 };
  }
  const withoutForced = align(
    slots.filter((s) => !s.forceInput),
    values,
  );
  if (withoutForced.unused > 0 && slots.some((s) => s.forceInput)) {
    const withForced = align(slots, values);
    if (withForced.unused === 0 && withForced.assigned.length === slots.length) {
      return { assigned: withForced.assigned.filter((a) => !a.slot.forceInput), unused: 0 };
    }
  }
  return withoutForced;
}

function align(
  slots: readonly WidgetSlot[],
  values: readonly unknown[],
): { assigned: AssignedWidget[]; unused: number } {
  const assigned: AssignedWidget[] = [];
  let i = 0;
  const queue = [...slots];
  for (let s = 0; s < queue.length && i < values.length; s++) {
    const slot = queue[s]!;
    const at = i;
    const value = values[i++];
    assigned.push({ slot, value, at });
    // An optional extra is taken when the next widget could not hold the value, or when enough values
    // remain for the widgets after it.
    const after = queue.length - s - 1;
    const takes = (extra: unknown) => !couldHold(queue[s + 1], extra) || values.length - i > after;
    if (
      (slot.control || slot.legacyControl) &&
      isControlMode(values[i]) &&
      (slot.control || takes(values[i]))
    ) {
      i++;
      if (slot.filterList && typeof values[i] === "string" && takes(values[i])) i++;
    }
    if (slot.uploadButton !== undefined && values[i] === slot.uploadButton && takes(values[i])) i++;
    if (slot.input.kind === "dynamic_combo") {
      const children = childSlots(slot.input, value);
      queue.splice(s + 1, 0, ...children);
    }
  }
  return { assigned, unused: Math.max(0, values.length - i) };
}

/** Whether `slot` (the next widget) could have `value` as its value. */
function couldHold(slot: WidgetSlot | undefined, value: unknown): boolean {
  if (!slot) return false;
  switch (slot.input.kind) {
    case "combo":
      return slot.input.values.includes(value as string) || slot.input.values.length === 0;
    case "string":
      return typeof value === "string";
    case "dynamic_combo":
      return slot.input.choices.some((c) => c.key === value);
    default:
      return false;
  }
}

function isControlMode(value: unknown): boolean {
  return typeof value === "string" && CONTROL_MODES.has(value);
}

/** The child widgets a DynamicCombo adds for the chosen option, named `<parent>.<child>`. */
function childSlots(input: DynamicComboInputDef, chosen: unknown): WidgetSlot[] {
  const choice = input.choices.find((c) => c.key === chosen);
  if (!choice) return [];
  const renamed: InputDef[] = choice.inputs.map((child) => ({
    ...child,
    name: `${input.name}.${child.name}`,
  }));
  return slotsOf(renamed);
}

function dynamicChildren(
  slot: WidgetSlot,
  chosen: unknown,
  byName: Readonly<Record<string, unknown>>,
): AssignedWidget[] {
  if (slot.input.kind !== "dynamic_combo") return [];
  return childSlots(slot.input, chosen)
    .filter((child) => Object.hasOwn(byName, child.name))
    .map((child) => ({ slot: child, value: byName[child.name], at: child.name }));
}
