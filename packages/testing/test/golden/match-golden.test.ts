import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  attachProvenance,
  decodePng,
  encodePng,
  type GoldenConfig,
  type GoldenSidecar,
  GoldenUsageError,
  type MatchGoldenArgs,
  matchGolden,
  PngDecodeError,
  readComparisonRecords,
} from "../../src/index.js";

let dir: string;
let config: GoldenConfig;
const base = noiseImage(64, 64, 11, true);
const png = encodePng(base);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-golden-"));
  config = {
    compare: {},
    environments: {},
    keyByEnvironment: false,
    resultsDir: join(dir, "results"),
    root: dir,
    report: "all",
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function args(overrides: Partial<MatchGoldenArgs>): MatchGoldenArgs {
  return {
    image: png,
    name: "out",
    options: undefined,
    testFile: join(dir, "test", "suite.test.ts"),
    testName: "suite > renders",
    callIndex: 0,
    updateMode: "none",
    ci: false,
    config,
    ...overrides,
  };
}

const goldenFile = () => join(dir, "test", "__goldens__", "suite.test.ts", "out.png");

async function accept(image: Uint8Array = png): Promise<void> {
  const result = await matchGolden(args({ image, updateMode: "all" }));
  expect(result.outcome.kind).toBe("golden-written");
}

describe("matchGolden", () => {
  it("fails on a missing golden in CI mode, writes nothing, and says how to create it", async () => {
    const result = await matchGolden(args({ ci: true, updateMode: "none" }));
    expect(result.pass).toBe(false);
    expect(result.outcome.kind).toBe("missing-golden");
    expect(result.message).toContain('golden "out" does not exist and was not written: CI is set');
    expect(result.message).toContain("test/__goldens__/suite.test.ts/out.png");
    expect(result.message).toContain("`vitest -u`");
    expect(existsSync(goldenFile())).toBe(false);
    expect(await readFile(result.artifacts.actual!)).toEqual(png);
  });

  it("fails on a missing golden locally without -u, pointing at -u", async () => {
    const result = await matchGolden(args({}));
    expect(result.pass).toBe(false);
    expect(result.message).toMatch(/does not exist\.\n[\s\S]*Create it with `vitest -u`/);
    expect(existsSync(goldenFile())).toBe(false);
  });

  it("writes a missing golden with -u, atomically, with a provenance sidecar", async () => {
    const image = attachProvenance(Buffer.from(png), {
      promptHash: "ab12",
      seeds: { "4.seed": "42" },
      environmentKey: "cpu_torch1_comfy0.3.65",
      nodeId: "9",
      classType: "SaveImage",
    });
    const result = await matchGolden(args({ image, updateMode: "all" }));
    expect(result.pass).toBe(true);
    expect(await readFile(goldenFile())).toEqual(png);
    const sidecar = JSON.parse(await readFile(result.paths.sidecar, "utf8")) as GoldenSidecar;
    expect(sidecar).toEqual({
      golden: "out.png",
      kind: "image",
      format: "png",
      test: "suite > renders",
      acceptedBy: "vitest -u",
      facts: { size: "64×64", channels: 4, "bit depth": 8 },
      decidedBy: { comparator: "exact", options: {} },
      promptHash: "ab12",
      seeds: { "4.seed": "42" },
      environmentKey: "cpu_torch1_comfy0.3.65",
      outputNode: { id: "9", classType: "SaveImage" },
    });
    const leftovers = (await import("node:fs")).readdirSync(
      join(dir, "test", "__goldens__", "suite.test.ts"),
    );
    expect(leftovers.sort()).toEqual(["out.json", "out.png"]);
  });

  it("passes on the same pixels in other bytes (metadata, compression)", async () => {
    await accept();
    const result = await matchGolden(args({ image: encodePng(base, { compressLevel: 9 }) }));
    expect(result.pass).toBe(true);
    expect(result.message).toBe('golden "out" matched (identical samples)');
  });

  it("fails when a pixel changes beyond tolerance, with expected/actual/diff artifacts and counts", async () => {
    await accept();
    const changed = encodePng(withChangedPixels(base, 1, [255, 0, 0, 255]));
    const result = await matchGolden(args({ image: changed }));
    expect(result.pass).toBe(false);
    expect(result.outcome.kind).toBe("mismatch");
    expect(result.message).toContain('golden "out" does not match (exact):');
    expect(result.message).toMatch(
      /3 of 16384 samples differ, max \|Δ\| \d+ \(channel [RGB] at x 0, y 0: expected \d+, got (255|0)\)/,
    );
    for (const kind of ["expected", "actual", "diff"] as const) {
      expect(result.message).toContain(`results/test/suite.test.ts/suite-renders/out-${kind}.png`);
      expect(existsSync(result.artifacts[kind]!)).toBe(true);
    }
    expect(await readFile(result.artifacts.expected!)).toEqual(png);
    expect(await readFile(result.artifacts.actual!)).toEqual(changed);
    const diff = decodePng(await readFile(result.artifacts.diff!));
    expect([...diff.toRgba().data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
    expect(await readFile(goldenFile())).toEqual(png);
  });

  it("passes when the change is within tolerance", async () => {
    await accept();
    const result = await matchGolden(
      args({
        image: encodePng(withChangedPixels(base, 4)),
        options: { comparator: "pixelmatch", maxDiffPixels: 4 },
      }),
    );
    expect(result.pass).toBe(true);
    expect(result.message).toContain("matched within tolerance (pixelmatch (threshold 0.1, maxDiffPixels 4");
    const ratio = await matchGolden(
      args({
        image: encodePng(withChangedPixels(base, 5)),
        options: { comparator: "pixelmatch", maxDiffPixelRatio: 0.001 },
      }),
    );
    expect(ratio.pass).toBe(false);
    expect(ratio.message).toContain("5 pixels differ (0.13% of 64×64) at threshold 0.1, 4 allowed");
  });

  it("fails a size change with its own message", async () => {
    await accept();
    const result = await matchGolden(
      args({
        image: encodePng(noiseImage(64, 32, 11, true)),
        options: { comparator: "pixelmatch", maxDiffPixelRatio: 1 },
      }),
    );
    expect(result.pass).toBe(false);
    expect(result.message.split("\n")[0]).toBe(
      'golden "out" differs in its image facts: size 64×64 → 64×32.',
    );
    expect(result.artifacts.diff).toBeUndefined();
  });

  it("replaces a changed golden with -u, recording what changed", async () => {
    await accept();
    const changed = encodePng(withChangedPixels(base, 2));
    const result = await matchGolden(args({ image: changed, updateMode: "all" }));
    expect(result.outcome.kind).toBe("golden-updated");
    expect(await readFile(goldenFile())).toEqual(changed);
    const sidecar = JSON.parse(await readFile(result.paths.sidecar, "utf8")) as GoldenSidecar;
    expect(sidecar.replaced?.reason).toBe("samples");
    expect(sidecar.replaced?.summary).toMatch(/^6 of 16384 samples differ/);
    expect(await readFile(result.artifacts.expected!)).toEqual(png);
  });

  it("never writes under CI, even with -u", async () => {
    await accept();
    const changed = encodePng(withChangedPixels(base, 2));
    const result = await matchGolden(args({ image: changed, updateMode: "all", ci: true }));
    expect(result.pass).toBe(false);
    expect(await readFile(goldenFile())).toEqual(png);
    const missing = await matchGolden(args({ name: "other", updateMode: "all", ci: true }));
    expect(missing.outcome.kind).toBe("missing-golden");
    expect(existsSync(join(dir, "test", "__goldens__", "suite.test.ts", "other.png"))).toBe(false);
  });

  it("reports a corrupt golden as a clear error naming it", async () => {
    await accept();
    await writeFile(goldenFile(), png.subarray(0, 200));
    const error = await matchGolden(args({})).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PngDecodeError);
    expect((error as Error).message).toMatch(
      /^cannot decode PNG test\/__goldens__\/suite\.test\.ts\/out\.png: truncated/,
    );
  });

  it("keys goldens by the image's environment when asked", async () => {
    const image = attachProvenance(Buffer.from(png), {
      environmentKey: "nvidia-h100_torch2.5.1_comfy0.26.0",
    });
    const result = await matchGolden(args({ image, updateMode: "all", options: { keyByEnvironment: true } }));
    expect(result.paths.golden.endsWith("out-nvidia-h100_torch2.5.1_comfy0.26.0.png")).toBe(true);
    await expect(matchGolden(args({ options: { keyByEnvironment: true } }))).rejects.toThrow(
      GoldenUsageError,
    );
  });

  it("records every comparison for the report", async () => {
    await accept();
    await matchGolden(args({ name: "missing" }));
    const records = await readComparisonRecords(config.resultsDir);
    expect(records.map((r) => [r.key, r.outcome, r.pass])).toEqual([
      ["missing", "missing-golden", false],
      ["out", "golden-written", true],
    ]);
    expect(existsSync(join(config.resultsDir, "index.html"))).toBe(true);
  });

  it("leaves comparisons of earlier runs out of the report it rewrites", async () => {
    await accept();
    const recordsDir = join(config.resultsDir, ".records");
    await writeFile(
      join(recordsDir, "from-an-earlier-run.json"),
      JSON.stringify({
        testFile: "old.test.ts",
        testName: "old",
        key: "gone",
        outcome: "mismatch",
        pass: false,
        message: "old",
        golden: "x.png",
        files: {},
        durationMs: 1,
        runId: "earlier",
      }),
    );
    await matchGolden(args({}));
    const html = await readFile(join(config.resultsDir, "index.html"), "utf8");
    expect(html).toContain("<code>out</code>");
    expect(html).not.toContain("<code>gone</code>");
  });

  it("rejects bad input eagerly", async () => {
    await expect(matchGolden(args({ image: { nope: 1 } }))).rejects.toThrow(
      /toMatchGolden expects an output of comfy.run\(\)/,
    );
    await expect(matchGolden(args({ options: { comparator: "pixelmatch", threshold: 3 } }))).rejects.toThrow(
      /`threshold` option of comparator "pixelmatch" must be/,
    );
    await expect(matchGolden(args({ name: "../x" }))).rejects.toThrow(/invalid golden name/);
  });
});
