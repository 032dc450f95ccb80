/**
 * The JSON text a catalog was parsed from, kept beside it (a side table, like prompt origins) for
 * the rare question parsing cannot answer: was a number written as `1` or `1.0`? Python keeps the
 * difference and prints it in validation messages ("max of 1" vs "max of 1.0"); JSON.parse does not.
 */
import type { NodeCatalog } from "./types.js";

const sources = new WeakMap<NodeCatalog, string>();

export function attachCatalogSource(catalog: NodeCatalog, text: string): void {
  sources.set(catalog, text);
}

/**
 * The literal text of option `key` of top-level input `input` of `classType` (e.g. `"1.0"`), when
 * the catalog was parsed from text and the literal can be found; otherwise undefined.
 */
export function optionLiteral(
  catalog: NodeCatalog,
  classType: string,
  input: string,
  key: string,
): string | undefined {
  const text = sources.get(catalog);
  if (text === undefined) return undefined;
  const node = findKey(text, classType, 0);
  if (node === -1) return undefined;
  const spec = findKey(text, input, node);
  if (spec === -1) return undefined;
  // The spec's options object ends at the first "]" after it in practice (bounds come before lists).
  const end = text.indexOf("]", text.indexOf("{", spec));
  const window = text.slice(spec, end === -1 ? spec + 2000 : end);
  const m = new RegExp(
    `${escapeRegExp(JSON.stringify(key))}\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)`,
  ).exec(window);
  return m?.[1];
}

/** Offset just after `"name"\s*:` at or after `from`, or -1. */
function findKey(text: string, name: string, from: number): number {
  const re = new RegExp(`${escapeRegExp(JSON.stringify(name))}\\s*:`, "g");
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + m[0].length : -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
