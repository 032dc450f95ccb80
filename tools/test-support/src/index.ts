import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "vitest";

/** The repository root (this file lives in tools/test-support/src). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The shared real-data folder, read in place beside the checkout (`../shared/fixtures`), or
 * `COMFY_TS_SHARED_FIXTURES` when set. It is never copied into the repository.
 */
export const sharedFixturesDir = process.env.COMFY_TS_SHARED_FIXTURES
  ? resolve(process.env.COMFY_TS_SHARED_FIXTURES)
  : resolve(repoRoot, "../shared/fixtures");

/** The shared folder itself (`../shared`): fixtures, seed, docs. */
export const sharedDir = resolve(sharedFixturesDir, "..");

/** Absolute path of a file or folder under `../shared` (e.g. `seed/…`), or undefined when absent. */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(sharedDir, ...parts);
  return existsSync(path) ? path : undefined;
}

/** Absolute path of a file or folder under the shared fixtures, or undefined when it is absent. */
export function sharedFixture(...parts: string[]): string | undefined {
  const path = join(sharedFixturesDir, ...parts);
  return existsSync(path) ? path : undefined;
}

/** Like `sharedFixture`, but throws when absent (use inside suites already gated by `describeWithFixture`). */
export function requireSharedFixture(...parts: string[]): string {
  const path = sharedFixture(...parts);
  if (!path) throw new Error(`shared fixture not found: ${join(sharedFixturesDir, ...parts)}`);
  return path;
}

/**
 * A describe block over real data in ../shared/fixtures. When the data is absent (a user's fresh
 * clone) the block is skipped and its name says why, so the skip is visible in the report.
 */
export function describeWithFixture(name: string, parts: string[], body: (path: string) => void): void {
  const path = sharedFixture(...parts);
  if (path) {
    describe(name, () => body(path));
    return;
  }
  // The body is not run: it may read the folder while tests are collected.
  const reason = `${join("../shared/fixtures", ...parts)} not found beside the checkout`;
  describe(`${name} [skipped: ${reason}]`, () => {
    test.skip(`needs ${join("../shared/fixtures", ...parts)} (set COMFY_TS_SHARED_FIXTURES to use another folder)`, () => {});
  });
}
export {
  noiseImage,
  pngChunkBytes,
  rawPng,
  solidImage,
  type TestImage,
  textChunk,
  withChangedPixels,
} from "./images.js";
export { modulesLoadedBy } from "./modules-loaded.js";
export {
  describeWithPython,
  type PilImageCase,
  pilImageCases,
  pythonWith,
  runPython,
} from "./python-reference.js";
export { readSeedPromptBody } from "./seed-prompt.js";
export { fuzzSeed, type SeededRandom, seededRandom } from "./seeded-random.js";
export { tsNodeArgs } from "./ts-process.js";
export { differencesOutsideVersions } from "./writer-versions.js";
