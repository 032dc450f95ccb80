import type { NodeCatalog } from "../../../src/catalog/types.js";
import type { ApiPrompt } from "../../../src/compile/api-prompt.js";
import { widgetDefault, widgetSlots } from "../../../src/workflow/index.js";

/**
 * The prompt as the editor would send it after loading it: widget inputs missing from an older
 * prompt get the catalog default (`crop`, `resolution` added to nodes since the file was made).
 */
export function withWidgetDefaults(prompt: ApiPrompt, catalog: NodeCatalog): ApiPrompt {
  const out: ApiPrompt = {};
  for (const [id, node] of Object.entries(prompt)) {
    const inputs = { ...node.inputs };
    const def = catalog.nodes.get(node.class_type);
    for (const slot of def ? widgetSlots(def) : []) {
      const value = widgetDefault(slot.input);
      if (!slot.forceInput && !(slot.name in inputs) && value !== undefined)
        inputs[slot.name] = value as never;
    }
    out[id] = { ...node, inputs };
  }
  return out;
}
