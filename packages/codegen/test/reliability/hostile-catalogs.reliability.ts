// Codegen over 1,200 node classes whose every catalog string is hostile to generated code (from a
// fixed seed; COMFY_TS_FUZZ_SEED replays another run): every generated module loads, and all the
// generated declarations type-check under strict.
import { fuzzSeed, seededRandom } from "@comfy-ts/test-support";
import { expect, test } from "vitest";
import { generateHostile } from "../support/hostile-catalog.js";

const SEED = fuzzSeed(0xc0de_9e11);
const CATALOGS = 20;
const CLASSES = 60;

test(`${CATALOGS} catalogs × ${CLASSES} classes of hostile strings (seed ${SEED})`, async () => {
  const { factories, loaded, diagnostics } = await generateHostile(
    seededRandom(SEED),
    CATALOGS,
    CLASSES,
    "types",
  );
  process.stdout.write(
    `hostile catalogs: ${factories} of ${CATALOGS * CLASSES} classes generated, ${loaded} loaded, ${diagnostics.length} diagnostics\n`,
  );
  expect(factories).toBeGreaterThan(CATALOGS * CLASSES * 0.9);
  expect(loaded).toBe(factories);
  expect(diagnostics).toEqual([]);
});
