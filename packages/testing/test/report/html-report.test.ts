import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { encodeApng } from "@comfy-ts/core/png";
import { encodeAudio, encodeSafetensors, encodeVideo } from "@comfy-ts/media";
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

/** The report's DOM after Chromium loaded it (images decoded, players' metadata read). */
async function renderedDom(report: string): Promise<string> {
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
        "--autoplay-policy=no-user-gesture-required",
        "--virtual-time-budget=10000",
        "--dump-dom",
        pathToFileURL(report).href,
      ],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

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

      const stdout = await renderedDom(report);
      expect(stdout).toContain('data-images-checked="5"');
      const sizes = [...stdout.matchAll(/<img [^>]*data-natural="([^"]+)"/g)].map((m) => m[1]);
      // The failure (expected, actual, diff) comes first, then the pass (expected, actual).
      expect(sizes).toEqual(["40x30", "40x30", "40x30", "40x30", "40x30"]);
      expect(stdout.indexOf('data-outcome="mismatch"')).toBeLessThan(
        stdout.indexOf('data-outcome="matched"'),
      );
      expect(await readFile(report, "utf8")).toContain("1 failed, 1 passed");
    }, 90_000);

    it("shows the figures of every kind — filmstrips, waveforms, latent channels, text diffs — and plays video and audio", async () => {
      const config: GoldenConfig = {
        compare: {},
        environments: {},
        keyByEnvironment: false,
        resultsDir: join(dir, "kinds"),
        root: dir,
        report: "all",
      };
      const args = {
        testFile: join(dir, "kinds.test.ts"),
        testName: "kinds",
        callIndex: 0,
        ci: false,
        config,
        options: undefined,
      };
      // Each kind: the golden, then an output that differs from it.
      const frames = (shift: number) =>
        [1, 2, 3].map((seed) => {
          const image = noiseImage(24, 16, seed, true);
          return { ...image, data: image.data.map((v, i) => (i % 4 === 3 ? v : Math.min(255, v + shift))) };
        });
      const video = (shift: number) => ({
        width: 32,
        height: 24,
        fps: { num: 8, den: 1 },
        frames: [1, 2, 3, 4].map((seed) => {
          const rgba = noiseImage(32, 24, seed, true).data;
          return Uint8Array.from({ length: 32 * 24 * 3 }, (_, i) =>
            Math.min(255, rgba[Math.floor(i / 3) * 4 + (i % 3)]! + shift),
          );
        }),
      });
      const tone = (gain: number) => ({
        sampleRate: 44100,
        channels: [440, 660].map((hz) =>
          Float32Array.from(
            { length: 11025 },
            (_, i) => gain * 0.4 * Math.sin((2 * Math.PI * hz * i) / 44100),
          ),
        ),
      });
      const latent = (offset: number) =>
        encodeSafetensors({
          latent_tensor: {
            dtype: "F32",
            shape: [1, 4, 8, 8],
            data: Float32Array.from({ length: 256 }, (_, i) => Math.sin(i / 7) + (i === 100 ? offset : 0)),
          },
        });
      const cases: [string, Uint8Array | string, Uint8Array | string][] = [
        ["clip", encodeApng(frames(0), { delayMs: 100 }), encodeApng(frames(30), { delayMs: 100 })],
        [
          "movie",
          await encodeVideo(video(0), { container: "mp4", encoder: "libx264" }),
          await encodeVideo(video(40), { container: "mp4", encoder: "libx264" }),
        ],
        [
          "movie-webm",
          await encodeVideo(video(0), {
            container: "webm",
            encoder: "libvpx-vp9",
            bitRate: 0,
            codecOptions: { crf: "32" },
          }),
          await encodeVideo(video(40), {
            container: "webm",
            encoder: "libvpx-vp9",
            bitRate: 0,
            codecOptions: { crf: "32" },
          }),
        ],
        [
          "sound",
          await encodeAudio(tone(1), { format: "flac" }),
          await encodeAudio(tone(0.5), { format: "flac" }),
        ],
        [
          "sound-mp3",
          await encodeAudio(tone(1), { format: "mp3" }),
          await encodeAudio(tone(0.5), { format: "mp3" }),
        ],
        ["noise", latent(0), latent(1)],
        ["caption", "A Red Bottle\nStudio Lighting\n", "A Red Bottle\nStudio Photo\n"],
      ];
      for (const [name, golden, output] of cases) {
        await matchGolden({ ...args, name, image: golden, updateMode: "all" });
        const failed = await matchGolden({ ...args, name, image: output, updateMode: "none" });
        expect(failed.pass, `${name}: ${failed.message}`).toBe(false);
      }
      const report = await writeHtmlReport(config.resultsDir);
      const dom = await renderedDom(report);

      const sections = [
        ...dom.matchAll(
          /<section class="fail" data-outcome="[^"]+" data-kind="([^"]+)">([\s\S]*?)<\/section>/g,
        ),
      ];
      const byKind = (kind: string) => sections.filter(([, k]) => k === kind).map(([, , html]) => html!);
      const images = (html: string) =>
        [...html.matchAll(/<img [^>]*data-natural="([^"]+)"/g)].map((m) => m[1]);
      const players = (html: string, tag: "video" | "audio") =>
        [...html.matchAll(new RegExp(`<${tag} [^>]*data-media="([^"]+)"`, "g"))].map((m) => m[1]);
      // Animations: filmstrips of 3 frames of 24×16 (2 px gaps) for each side, and the 3-row diff grid.
      const [animation] = byKind("animation");
      expect(images(animation!)).toEqual(["76x16", "76x16", "76x52"]);
      // Video: filmstrips and the diff grid, and both files playable with their size and duration.
      const videos = byKind("video");
      expect(videos).toHaveLength(2);
      for (const html of videos) {
        expect(images(html)).toEqual(["134x24", "134x24", "134x76"]);
        expect(players(html, "video")).toEqual(["32x24 0.500s", "32x24 0.500s"]);
      }
      // Audio: waveform pictures and the difference waveform, and both files playable.
      const audios = byKind("audio");
      expect(audios).toHaveLength(2);
      for (const html of audios) {
        expect(images(html)).toEqual(["1024x256", "1024x256", "1024x256"]);
        const durations = players(html, "audio");
        expect(durations).toHaveLength(2);
        for (const duration of durations) expect(Number.parseFloat(duration!)).toBeGreaterThan(0.2);
      }
      // Latents: the 4 channels of 8×8 side by side for both sides and their |Δ|.
      const [tensor] = byKind("latent");
      expect(images(tensor!)).toEqual(["38x8", "38x8", "38x8"]);
      // Text: the unified diff, shown as text.
      const [text] = byKind("text");
      expect(text).toContain(
        '<pre class="diff">--- expected\n+++ actual\n@@ -1,3 +1,3 @@\n A Red Bottle\n-Studio Lighting\n+Studio Photo',
      );
      expect(dom).toContain(`data-players-checked="8"`);
    }, 120_000);
  },
);
