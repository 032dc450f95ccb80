import { assertNodeCatalog } from "./assert-catalog.js";
import { stringifyJsonLossless } from "./lossless-json.js";
import type { NodeCatalog } from "./types.js";

/** The catalog back in `/object_info` wire form (each node's `raw`; skipped nodes are not included). */
export function catalogToWire(catalog: NodeCatalog): Record<string, unknown> {
  assertNodeCatalog(catalog, "serialize");
  const out: Record<string, unknown> = {};
  for (const [name, def] of catalog.nodes) out[name] = def.raw;
  return out;
}

/** The catalog as `/object_info` JSON text; `bigint` bounds are written as exact digits. */
export function catalogToJson(catalog: NodeCatalog, indent?: number): string {
  return stringifyJsonLossless(catalogToWire(catalog), indent);
}
