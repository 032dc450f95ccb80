import { assertNodeCatalog } from "./assert-catalog.js";
import { CatalogError } from "./catalog-error.js";
import type { InputDef, NodeCatalog, NodeDef } from "./types.js";

/** The definition of `classType`, or undefined when the catalog does not have it. */
export function getNode(catalog: NodeCatalog, classType: string): NodeDef | undefined {
  assertNodeCatalog(catalog, `look up ${JSON.stringify(classType)} in`);
  return catalog.nodes.get(classType);
}

/** The definition of `classType`; throws a `CatalogError` (`unknown_node`) naming close matches when absent. */
export function requireNode(catalog: NodeCatalog, classType: string): NodeDef {
  assertNodeCatalog(catalog, `look up ${JSON.stringify(classType)} in`);
  const def = catalog.nodes.get(classType);
  if (def) return def;
  const lower = classType.toLowerCase();
  const near = [...catalog.nodes.keys()]
    .filter((k) => k.toLowerCase() === lower || k.toLowerCase().includes(lower))
    .slice(0, 5);
  const hint = near.length > 0 ? ` Did you mean ${near.map((n) => JSON.stringify(n)).join(", ")}?` : "";
  throw new CatalogError(
    "unknown_node",
    `node class ${JSON.stringify(classType)} is not in the catalog (${catalog.nodes.size} classes).${hint} ` +
      "Install the custom node pack on the server, or refresh the catalog.",
  );
}

/** A top-level (non-hidden) input of a node by name. Dotted V3 child names are resolved by validation. */
export function getInput(def: NodeDef, name: string): InputDef | undefined {
  return def.inputs.find((i) => i.name === name);
}

/** The class names of output nodes (the roots of execution), in catalog order. */
export function outputNodeClasses(catalog: NodeCatalog): string[] {
  const out: string[] = [];
  for (const [name, def] of catalog.nodes) if (def.outputNode) out.push(name);
  return out;
}
