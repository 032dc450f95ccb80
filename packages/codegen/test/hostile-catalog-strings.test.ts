// Catalog strings land in generated code as identifiers, property keys, string literals, types and
// JSDoc: whatever a server sends, the generated module must compile and load. A small run from a
// fixed seed (COMFY_TS_FUZZ_SEED replays another), syntax only; `pnpm test:reliability` type-checks
// the code of 1,200 classes.
import { fuzzSeed, seededRandom } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { generateHostile } from "./support/hostile-catalog.js";

const SEED = fuzzSeed(0x5eed_c0de);

test(`4 catalogs × 50 classes of hostile strings (seed ${SEED}): the generated code parses and loads`, async () => {
  const { factories, loaded, diagnostics } = await generateHostile(seededRandom(SEED), 4, 50, "syntax");
  expect(factories).toBeGreaterThan(4 * 50 * 0.9);
  expect(loaded).toBe(factories);
  expect(diagnostics).toEqual([]);
}, 120_000);
