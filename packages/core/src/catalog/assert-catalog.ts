import { CatalogError } from "./catalog-error.js";
import { describe } from "./normalize-input.js";
import type { NodeCatalog } from "./types.js";

/**
 * Throws `CatalogError` (`not_a_catalog`) unless `value` is a `NodeCatalog`: passing the raw
 * `/object_info` object is an easy mistake, and would otherwise be a TypeError deep inside.
 */
export function assertNodeCatalog(value: unknown, action: string): asserts value is NodeCatalog {
  if (typeof value === "object" && value !== null && (value as { nodes?: unknown }).nodes instanceof Map)
    return;
  throw new CatalogError(
    "not_a_catalog",
    `cannot ${action} ${describe(value)}: pass a NodeCatalog — parseCatalogText(text) or parseCatalog(value) of GET /object_info turns the server's answer into one`,
  );
}
