// Whole-process `comfy-ts compare` of two 1024² PNGs (500 pixels differ) against odiff-bin's CLI on the same
// files, in the same run. comfy-ts runs as published (dist/, after `pnpm build`) when built, and from source
// through tsx (as `pnpm comfy-ts` does) always.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodePng } from "@comfy-ts/core/png";
import { noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";

const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = mkdtempSync(join(tmpdir(), "comfy-ts-compare-bench-"));
const image = noiseImage(1024, 1024, 42, true);
const a = join(dir, "a.png");
const b = join(dir, "b.png");
writeFileSync(a, encodePng(image, { filter: "up" }));
writeFileSync(b, encodePng(withChangedPixels(image, 500), { filter: "up" }));

const odiff = createRequire(import.meta.url).resolve("odiff-bin/bin/odiff");
const built = join(cliDir, "dist", "bin.js");

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: cliDir, encoding: "utf8" });
  // 1: the files differ, as both tools must report.
  if (result.status !== 1 && result.status !== 22) throw new Error(`exit ${result.status}: ${result.stderr}`);
}

describe("compare two 1024² PNGs, whole process", () => {
  bench("anchor odiff-bin (odiff a.png b.png diff.png)", () =>
    run([odiff, a, b, join(dir, "odiff-diff.png")]),
  );
  bench.skipIf(!existsSync(built))("comfy-ts compare (built dist/)", () => run([built, "compare", a, b]));
  bench("comfy-ts compare (source, through tsx)", () =>
    run(["--conditions", "@comfy-ts/source", "--import", "tsx", "src/bin.ts", "compare", a, b]),
  );
});
