import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePng } from "@comfy-ts/core/png";
import { describeWithFixture, noiseImage, withChangedPixels } from "@comfy-ts/test-support";
import { describe, expect, test } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

const dir = mkdtempSync(join(tmpdir(), "comfy-ts-compare-"));
const base = noiseImage(32, 24, 3, true);
writeFileSync(join(dir, "a.png"), encodePng(base));
writeFileSync(join(dir, "same.png"), encodePng(base, { compressLevel: 9, text: [["prompt", "{}"]] }));
writeFileSync(join(dir, "b.png"), encodePng(withChangedPixels(base, 2, [0, 0, 0, 255])));
writeFileSync(join(dir, "small.png"), encodePng(noiseImage(16, 24, 3, true)));
writeFileSync(join(dir, "cut.png"), encodePng(base).subarray(0, 60));
writeFileSync(join(dir, "a.txt"), "one\ntwo\n");
writeFileSync(join(dir, "b.txt"), "one\nthree\n");

async function compare(...argv: string[]) {
  const c = captureIo(dir);
  const code = await main(["compare", ...argv], c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe("comfy-ts compare", () => {
  test("the same pixels in other bytes: exit 0", async () => {
    const { code, stdout } = await compare("a.png", "same.png");
    expect(code).toBe(ExitCode.ok);
    expect(stdout).toBe("same: identical samples\n");
  });

  test("two changed pixels: exit 1 under the strict default, naming where; a tolerance admits them", async () => {
    const strict = await compare("a.png", "b.png", "--diff", "diff.png");
    expect(strict.code).toBe(ExitCode.failed);
    expect(strict.stdout).toMatch(
      /^different \(exact\):\n {2}\d of 3072 samples differ, max \|Δ\| \d+ \(channel [RGB] at x [01], y 0/,
    );
    expect(strict.stdout).toContain("diff: diff.png");
    expect(readFileSync(join(dir, "diff.png")).subarray(1, 4).toString()).toBe("PNG");
    const loose = await compare("a.png", "b.png", "--comparator", "channel-delta", "--max-exceeding", "8");
    expect(loose.code).toBe(ExitCode.ok);
    expect(loose.stdout).toMatch(/^same within tolerance \(channel-delta \(maxDelta 0, maxExceeding 8\)\)/);
  });

  test("--json: the outcome, the comparator and per-unit metrics", async () => {
    const { code, stdout } = await compare("a.png", "small.png", "--json");
    expect(code).toBe(ExitCode.failed);
    expect(JSON.parse(stdout)).toEqual({
      same: false,
      outcome: "facts-mismatch",
      kind: "image",
      comparator: "exact",
      differences: [{ name: "size", expected: "32×24", actual: "16×24" }],
    });
  });

  test("text: a unified diff", async () => {
    const { code } = await compare("a.txt", "b.txt", "--diff", "text.diff");
    expect(code).toBe(ExitCode.failed);
    expect(readFileSync(join(dir, "text.diff"), "utf8")).toBe(
      "--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n one\n-two\n+three\n \n",
    );
  });

  test.each([
    [["a.png", "cut.png"], ExitCode.input, "cannot decode PNG cut.png: truncated"],
    [["a.png", "missing.png"], ExitCode.input, "cannot read missing.png (no such file)"],
    [["a.png", "."], ExitCode.input, ". is a directory, not a file"],
    [["a.png"], ExitCode.usage, "give two files, EXPECTED and ACTUAL (got 1)"],
    [["a.png", "b.png", "--comparator", "fuzzy"], ExitCode.usage, 'unknown comparator "fuzzy"'],
    [
      ["a.png", "b.png", "--comparator", "pixelmatch", "--treshold", "0.2"],
      ExitCode.usage,
      'unknown option --treshold for comparator "pixelmatch"',
    ],
    [
      ["a.png", "b.png", "--comparator", "pixelmatch", "--threshold", "2"],
      ExitCode.usage,
      "must be a number between 0 and 1, got 2",
    ],
    [
      ["a.png", "b.png", "--comparator", "snr"],
      ExitCode.usage,
      'comparator "snr" cannot compare image outputs',
    ],
  ] as const)("%j → exit %d", async (argv, exit, message) => {
    const { code, stderr } = await compare(...argv);
    expect(stderr).toContain(message);
    expect(code).toBe(exit);
  });
});

describeWithFixture("comfy-ts compare on recorded media", ["reference-outputs-media", "cases"], (cases) => {
  test("video and audio of different content: exit 1 naming the facts that differ", async () => {
    const { code, stdout } = await compare(
      join(cases, "m062_aud_flac_stereo48k_wav16/2_0.flac"),
      join(cases, "m064_aud_flac_stereo44k_flac/2_0.flac"),
    );
    expect(code).toBe(ExitCode.failed);
    expect(stdout).toBe("different: sample rate 48000 → 44100; samples 36000 → 26460\n");
  });
});
