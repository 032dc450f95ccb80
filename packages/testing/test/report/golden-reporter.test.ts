import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { solidImage } from "@comfy-ts/test-support";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encodePng, GoldenReporter, listGoldens, matchGolden } from "../../src/index.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "comfy-ts-reporter-"));
  vi.stubEnv("COMFY_TS_GOLDEN_REPORTER", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await rm(root, { recursive: true, force: true });
});

describe("GoldenReporter", () => {
  it("clears old results, writes the report at the end, and lists goldens no test used", async () => {
    const stale = join(root, "__results__", "old-actual.png");
    await mkdir(join(root, "__results__"), { recursive: true });
    await writeFile(stale, "x");
    const orphan = join(root, "test", "__goldens__", "gone.test.ts", "old.png");
    await mkdir(join(orphan, ".."), { recursive: true });
    await writeFile(orphan, encodePng(solidImage(2, 2, [0, 0, 0, 255])));
    await mkdir(join(root, "node_modules", "x", "__goldens__"), { recursive: true });
    await writeFile(join(root, "node_modules", "x", "__goldens__", "ignored.png"), "x");

    const lines: string[] = [];
    const reporter = new GoldenReporter({ log: (line) => lines.push(line) });
    await reporter.onInit({ config: { root }, logger: { log: () => {} } });
    expect(existsSync(stale)).toBe(false);
    expect(process.env.COMFY_TS_GOLDEN_REPORTER).toBe("1");

    const config = {
      compare: {},
      environments: {},
      keyByEnvironment: false,
      resultsDir: join(root, "__results__"),
      root,
      report: "all" as const,
    };
    await matchGolden({
      image: encodePng(solidImage(4, 4, [255, 0, 0, 255])),
      name: "red",
      options: undefined,
      testFile: join(root, "test", "a.test.ts"),
      testName: "a",
      callIndex: 0,
      updateMode: "all",
      ci: false,
      config,
    });
    expect(existsSync(join(root, "__results__", "index.html"))).toBe(false);
    await reporter.onTestRunEnd();
    expect(existsSync(join(root, "__results__", "index.html"))).toBe(true);
    expect(lines).toEqual([
      "golden comparisons: 1 passed, 0 failed — report: __results__/index.html",
      "goldens no test used in this run (1; stale if this was a full run):",
      "  test/__goldens__/gone.test.ts/old.png",
    ]);
    expect(await listGoldens(root)).toEqual([
      "test/__goldens__/a.test.ts/red.png",
      "test/__goldens__/gone.test.ts/old.png",
    ]);
  });

  it.each([
    ["resultsDir '.'", { resultsDir: "." }, undefined],
    ["resultsDir '' (the default)", { resultsDir: "" }, undefined],
    ["an empty COMFY_TS_RESULTS_DIR (the default)", {}, ""],
  ])("never empties the project root itself: %s", async (_label, options, env) => {
    if (env !== undefined) vi.stubEnv("COMFY_TS_RESULTS_DIR", env);
    const source = join(root, "src", "keep.ts");
    await mkdir(join(root, "src"), { recursive: true });
    await writeFile(source, "export {};\n");
    const reporter = new GoldenReporter({ ...options, log: () => {} });
    await reporter.onInit({ config: { root }, logger: { log: () => {} } });
    expect(existsSync(source)).toBe(true);
  });
});
