import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ComparisonRecord,
  encodePng,
  type GoldenConfig,
  matchGolden,
  renderHtmlReport,
  writeHtmlReport,
} from "../../src/index.js";

// CHROMIUM_PATH points at a browser elsewhere (snap, Chrome); without one the suite below is skipped, with
// the reason in its name.
const BROWSERS = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/snap/bin/chromium",
];
const CHROMIUM = BROWSERS.find((path): path is string => !!path && existsSync(path));

const record = (over: Partial<ComparisonRecord>): ComparisonRecord => ({
  testFile: "test/a.test.ts",
  testName: "a > b",
  key: "out",
  outcome: "matched",
  pass: true,
  message: "ok",
  golden: "test/__goldens__/a.test.ts/out.png",
  environmentKey: undefined,
  kind: "image",
  format: "png",
  comparator: "exact",
  facts: { size: "8×8" },
  metrics: undefined,
  summary: undefined,
  files: {},
  durationMs: 1,
  ...over,
});

describe("renderHtmlReport", () => {
  it("lists failures first, escapes text, and links images relatively", () => {
    const html = renderHtmlReport([
      record({ key: "ok" }),
      record({
        key: "bad",
        pass: false,
        outcome: "mismatch",
        message: "<script>x</script>",
        files: { diff: "test/a b#1-diff.png" },
      }),
    ]);
    expect(html).toContain("<title>comfy-ts golden report: 1 failed, 1 passed</title>");
    expect(html.indexOf("<code>bad</code>")).toBeLessThan(html.indexOf("<code>ok</code>"));
    expect(html).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(html).toContain('src="test/a%20b%231-diff.png"');
  });
});

describe.skipIf(!CHROMIUM)(
  `HTML report in headless Chromium${CHROMIUM ? "" : " [skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)]"}`,
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "comfy-ts-report-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("shows expected, actual and diff of every comparison, decoded", async () => {
      const config: GoldenConfig = {
        compare: {},
        environments: {},
        keyByEnvironment: false,
        resultsDir: join(dir, "results"),
        root: dir,
        report: "all",
      };
      const base = noiseImage(40, 30, 9, true);
      const args = {
        testFile: join(dir, "t.test.ts"),
        testName: "t",
        callIndex: 0,
        ci: false,
        config,
        options: undefined,
      };
      await matchGolden({ ...args, name: "kept", image: encodePng(base), updateMode: "all" });
      await matchGolden({ ...args, name: "kept", image: encodePng(base), updateMode: "none" });
      await matchGolden({ ...args, name: "changed", image: encodePng(base), updateMode: "all" });
      const failed = await matchGolden({
        ...args,
        name: "changed",
        image: encodePng(withChangedPixels(base, 30)),
        updateMode: "none",
      });
      expect(failed.pass).toBe(false);
      const report = await writeHtmlReport(config.resultsDir);

      const profile = await mkdtemp(join(tmpdir(), "comfy-ts-chromium-"));
      try {
        const { stdout } = await promisify(execFile)(
          CHROMIUM as string,
          [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            `--user-data-dir=${profile}`,
            "--allow-file-access-from-files",
            "--virtual-time-budget=10000",
            "--dump-dom",
            pathToFileURL(report).href,
          ],
          { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
        );
        expect(stdout).toContain('data-images-checked="5"');
        const sizes = [...stdout.matchAll(/<img [^>]*data-natural="([^"]+)"/g)].map((m) => m[1]);
        // The failure (expected, actual, diff) comes first, then the pass (expected, actual).
        expect(sizes).toEqual(["40x30", "40x30", "40x30", "40x30", "40x30"]);
        expect(stdout.indexOf('data-outcome="mismatch"')).toBeLessThan(
          stdout.indexOf('data-outcome="matched"'),
        );
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
      expect(await readFile(report, "utf8")).toContain("1 failed, 1 passed");
    }, 90_000);
  },
);
