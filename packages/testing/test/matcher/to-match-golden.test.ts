import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { configureGoldens, encodePng, GoldenUsageError, resetGoldenConfig } from "../../src/index.js";

// Goldens of this file are committed in test/matcher/__goldens__/to-match-golden.test.ts/.
const base = noiseImage(16, 16, 5, true);
const image = encodePng(base);
let results: string;

beforeAll(async () => {
  results = await mkdtemp(join(tmpdir(), "comfy-ts-matcher-"));
  configureGoldens({ resultsDir: results });
  // A developer running this suite with `vitest -u` must not rewrite the fixtures goldens.
  vi.stubEnv("COMFY_TS_UPDATE_GOLDENS", "none");
});
afterAll(async () => {
  vi.unstubAllEnvs();
  resetGoldenConfig();
  await rm(results, { recursive: true, force: true });
});

describe("expect(png).toMatchGolden()", () => {
  it("passes against a committed golden", async () => {
    await expect(image).toMatchGolden("noise-16");
  });

  it("accepts an output image object holding bytes, and a promise of one", async () => {
    await expect({ bytes: image, filename: "x.png" }).toMatchGolden("noise-16");
    await expect(Promise.resolve(image)).toMatchGolden("noise-16");
  });

  it("names an unnamed golden after the test", async () => {
    await expect(image).toMatchGolden();
    await expect(image).toMatchGolden({ comparator: "exact" });
  });

  let attempts = 0;
  it("names unnamed goldens the same way on a retry", { retry: 1 }, async () => {
    attempts += 1;
    await expect(image).toMatchGolden();
    if (attempts === 1)
      throw new Error("first attempt fails on purpose; the retry must find the same golden");
  });

  it("fails with counts and paths, and annotates expected / actual / diff", async ({ task }) => {
    const changed = encodePng(withChangedPixels(base, 3));
    await expect(expect(changed).toMatchGolden("noise-16")).rejects.toThrow(
      /golden "noise-16" does not match \(exact\):\n {2}\d+ of 1024 samples differ, max \|Δ\| \d+ \(channel [RGBA] at x \d+, y 0/,
    );
    expect(task.annotations.map((a) => a.type)).toEqual(["golden-expected", "golden-actual", "golden-diff"]);
    expect(task.annotations.every((a) => a.attachment?.contentType === "image/png")).toBe(true);
    await expect(changed).toMatchGolden("noise-16", { comparator: "pixelmatch", maxDiffPixels: 3 });
  });

  it("fails on a missing golden in CI and does not write it, even when asked to write all", async () => {
    const never = join(import.meta.dirname, "__goldens__", "to-match-golden.test.ts", "never-written");
    vi.stubEnv("CI", "true");
    // With "none" the golden would not be written anyway: "all" proves that CI is what stops it.
    vi.stubEnv("COMFY_TS_UPDATE_GOLDENS", "all");
    try {
      await expect(expect(image).toMatchGolden("never-written")).rejects.toThrow(/not written: CI is set/);
      expect(existsSync(`${never}.png`)).toBe(false);
    } finally {
      vi.stubEnv("CI", "");
      vi.stubEnv("COMFY_TS_UPDATE_GOLDENS", "none");
      // A broken CI guard must fail this test, not leave a golden in the repo.
      await rm(`${never}.png`, { force: true });
      await rm(`${never}.json`, { force: true });
    }
  });

  it("refuses .not and bad options with clear errors", async () => {
    await expect(expect(image).not.toMatchGolden("noise-16")).rejects.toThrow(GoldenUsageError);
    // A ratio above 1: type-correct, refused at run time.
    await expect(
      expect(image).toMatchGolden("noise-16", { comparator: "pixelmatch", maxDiffPixelRatio: 5 }),
    ).rejects.toThrow(
      '`maxDiffPixelRatio` option of comparator "pixelmatch" must be a number between 0 and 1, got 5',
    );
  });
});
