import { pyEquals } from "../python/values.js";

/** Which server's link-type rules to apply. */
export interface TypeMatchRules {
  /** A legacy combo output (a list of values) may feed a `"COMBO"` input (newer servers only). */
  readonly listIntoCombo: boolean;
}

const MATCHTYPE = "COMFY_MATCHTYPE_V3";

/**
 * ComfyUI's `validate_node_input(received, expected)`: may an output of type `received` feed an
 * input declared as `expected`? Types are strings (`"IMAGE"`, `"*"`, `"STRING,INT"`) or value
 * lists (legacy combos).
 *
 * @example
 * typesMatch("STRING,BOOLEAN", "STRING,INT") // true: the sets intersect
 * typesMatch("IMAGE", "LATENT")              // false
 */
export function typesMatch(
  received: unknown,
  expected: unknown,
  rules: TypeMatchRules = { listIntoCombo: true },
): boolean {
  if (pyEquals(received, expected)) return true;
  if (received === "*" || expected === "*") return true;
  if (received === MATCHTYPE || expected === MATCHTYPE) return true;
  if (rules.listIntoCombo && Array.isArray(received) && expected === "COMBO") return true;
  if (typeof received !== "string" || typeof expected !== "string") return false;
  const got = new Set(received.split(",").map((t) => t.trim()));
  const want = new Set(expected.split(",").map((t) => t.trim()));
  if (got.has("*") || want.has("*")) return true;
  for (const t of got) if (want.has(t)) return true;
  return false;
}
