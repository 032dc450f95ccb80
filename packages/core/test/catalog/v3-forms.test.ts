import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseCatalogText, stringifyJsonLossless } from "../../src/catalog/index.js";

/** The value without `raw`, `spec` and `options`, which repeat the wire form. */
function withoutWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutWire);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k, v]) => k !== "raw" && k !== "spec" && k !== "options" && v !== undefined)
      .map(([k, v]) => [k, withoutWire(v)]),
  );
}

// Hand-written V3 definitions (protocol §5.5): MatchType, Autogrow by names and by prefix,
// DynamicCombo with nested children, MultiType, hidden 1-element arrays, explicit nulls.
test("V3 forms normalize to the documented shape", async () => {
  const text = readFileSync(new URL("./fixtures/v3-nodes.json", import.meta.url), "utf8");
  const catalog = parseCatalogText(text);
  expect(catalog.problems).toEqual([]);
  const normalized = `${stringifyJsonLossless(withoutWire(Object.fromEntries(catalog.nodes)), 2)}\n`;
  await expect(normalized).toMatchFileSnapshot("./__snapshots__/v3-nodes.normalized.json");
});
