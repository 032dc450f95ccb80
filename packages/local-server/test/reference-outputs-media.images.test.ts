import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeImage } from "@comfy-ts/media";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "../src/index.js";
import { type FetchedOutput, fetchOutputs, listMediaCases, runMediaCase } from "./support/media-cases.js";
import { uploadReferenceInputs } from "./support/reference-cases.js";

/**
 * How each image output must match its recording. `bytes`: the same file (SHA-256). `decoded`: the
 * same decoded frames (every sample), frame count, durations and loop. `{ exactFrames, reason }`: the
 * same structure, and these frames exact; the others are a known difference, stated in `reason`.
 */
type Verdict = "bytes" | "decoded" | { readonly exactFrames: readonly number[]; readonly reason: string };

const VERDICT: Record<string, Verdict> = {
  // Lossy animations: every frame is libwebp's still bitstream of it (see media's encodeWebp), equal
  // in pixels; the files differ in the VP8 headers libwebp 1.6 and 1.2.4 write.
  m033_img_awebp_noise4_lossy_q80_default_fps6: "decoded",
  m036_img_awebp_gradient4_lossy_q80_slowest_fps0_5: "decoded",
  m038_img_awebp_gradient4_lossy_q50_fastest_fps30: {
    exactFrames: [0],
    reason:
      "WebPAnimEncoder's non-keyframe candidate at method 0 changes a few samples (frame 1: 6, frame 2: 52 of 9216, up to ±6) that a still encode of the frame keeps",
  },
};

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const describeVerdict = (v: Verdict) =>
  typeof v === "string" ? v : `frames ${v.exactFrames.join(", ")} exact; known difference`;

// The image half of ../shared/fixtures/reference-outputs-media (groups in and img: LoadImage and
// LoadImageMask of every input codec, SaveImage, SaveAnimatedPNG, SaveAnimatedWEBP, and their error
// cases) through POST /prompt + WebSocket + /history + /view on the local server.
describeWithFixture("reference outputs (media): image cases", ["reference-outputs-media"], (root) => {
  const cases = listMediaCases(root, ["in", "img"]);
  let server: LocalServer;
  let base: string;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "comfy-ts-media-img-"));
    server = await startLocalServer({
      inputDir: join(base, "input"),
      outputDir: join(base, "output"),
      tempDir: join(base, "temp"),
    });
    await uploadReferenceInputs(server.url, join(root, "inputs"));
  });
  afterAll(async () => {
    await server?.close();
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("finds the image cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    const verdict = VERDICT[c.name] ?? "bytes";
    it(`${c.group}/${c.name} (${c.group === "errors" ? "error" : describeVerdict(verdict)})`, async () => {
      const run = await runMediaCase(server.url, c);
      if (!run) return;
      const outputs = await fetchOutputs(server.url, c, run);
      expect(outputs.length, "output files").toBe((c.meta.outputs ?? []).filter((o) => o.local_file).length);
      for (const output of outputs) await compareOutput(output, verdict);
    });
  }
});

async function compareOutput(o: FetchedOutput, verdict: Verdict): Promise<void> {
  if (verdict === "bytes") {
    expect(sha256(o.actual), `${o.where}: file bytes`).toBe(o.meta.file_sha256);
    return;
  }
  const actual = await decodeImage(o.actual, { name: o.entry.filename });
  const expected = await decodeImage(o.recorded, { name: o.meta.local_file ?? o.where });
  expect(
    [actual.format, actual.width, actual.height, actual.layout, actual.frames.length, actual.loop],
    `${o.where}: format, size, layout, frames, loop`,
  ).toEqual([
    expected.format,
    expected.width,
    expected.height,
    expected.layout,
    expected.frames.length,
    expected.loop,
  ]);
  expect(
    actual.frames.map((f) => f.durationMs),
    `${o.where}: frame durations`,
  ).toEqual(expected.frames.map((f) => f.durationMs));
  for (const [i, frame] of expected.frames.entries()) {
    if (verdict !== "decoded" && !verdict.exactFrames.includes(i)) continue;
    const got = actual.frames[i]!.data;
    let worst = 0;
    let differing = 0;
    for (let s = 0; s < frame.data.length; s++) {
      const d = Math.abs(got[s]! - frame.data[s]!);
      if (d > 0) differing++;
      if (d > worst) worst = d;
    }
    expect(
      worst,
      `${o.where} frame ${i}: ${differing} of ${frame.data.length} samples differ, by up to ${worst}`,
    ).toBe(0);
  }
}
