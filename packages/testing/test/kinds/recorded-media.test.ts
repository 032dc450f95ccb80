// Every media output a real ComfyUI 0.3.65 recorded (../shared/fixtures/reference-outputs-media): it is
// classified and decoded with the facts its meta.json records; its second recording passes against it
// under the default of its kind; an edit beyond tolerance fails naming the frame or sample.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { describe, expect, it } from "vitest";
import {
  type Comparison,
  compareOutputs,
  type DecodedOutput,
  decodeOutput,
  resolveTolerance,
  type Samples,
} from "../../src/index.js";
import { factValue } from "../../src/outputs/decoded-output.js";
import { type Classified, classifyOutput } from "../../src/outputs/output-kind.js";

interface RecordedOutput {
  readonly local_file: string;
  readonly key: string;
  readonly filename: string;
  readonly width?: number;
  readonly height?: number;
  readonly n_frames?: number;
  readonly durations_ms_pil?: number[];
  readonly loop?: number;
  readonly video?: { frames: number; fps: number; width: number; height: number; average_rate: string };
  readonly audio?: { sample_rate: number; channels: number; samples: number };
  readonly decoded_sha256?: string;
}
interface RecordedCase {
  readonly outputs: RecordedOutput[];
  readonly rerun?: { outputs: { decoded_identical: boolean; file_bytes_identical: boolean }[] };
}

const choiceFor = (c: Classified) =>
  resolveTolerance({
    kind: c.kind,
    format: c.format,
    project: undefined,
    environment: undefined,
    environmentKey: undefined,
    test: undefined,
  });

/** A second recording of a file whose bytes change per run while its content does not (ComfyUI's rerun). */
function rerecorded(bytes: Uint8Array, format: string): Uint8Array | undefined {
  const out = Buffer.from(bytes);
  if (format === "webm") {
    // Matroska TrackUID (element 0x73C5, 8-byte payload): random per run in PyAV's muxer.
    let found = 0;
    for (let i = 0; i + 11 < out.length; i++) {
      if (out[i] === 0x73 && out[i + 1] === 0xc5 && out[i + 2] === 0x88) {
        for (let k = 0; k < 8; k++) out[i + 3 + k] = out[i + 3 + k]! ^ 0x5a;
        found++;
      }
    }
    return found ? out : undefined;
  }
  if (format === "opus") {
    // Ogg stream serial (bytes 14–17 of every page): random per run; each page CRC is then recomputed.
    let pages = 0;
    for (let at = 0; at + 27 <= out.length && out.toString("latin1", at, at + 4) === "OggS"; pages++) {
      const segments = out[at + 26]!;
      let size = 27 + segments;
      for (let s = 0; s < segments; s++) size += out[at + 27 + s]!;
      out.writeUInt32LE(0x1234abcd, at + 14);
      out.writeUInt32LE(0, at + 22);
      out.writeUInt32LE(oggCrc(out.subarray(at, at + size)), at + 22);
      at += size;
    }
    return pages ? out : undefined;
  }
  return undefined;
}

/** Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, initial 0). */
function oggCrc(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

const passes = (c: Comparison) => c.kind === "identical" || (c.kind === "compared" && c.pass);

describeWithFixture(
  "recorded media outputs of ComfyUI 0.3.65",
  ["reference-outputs-media", "cases"],
  (root) => {
    const cases = readdirSync(root).filter((name) => name.startsWith("m"));
    const files: {
      name: string;
      dir: string;
      output: RecordedOutput;
      rerun: { decoded_identical: boolean } | undefined;
    }[] = [];
    for (const name of cases) {
      const meta = JSON.parse(readFileSync(join(root, name, "meta.json"), "utf8")) as RecordedCase;
      meta.outputs.forEach((output, i) => {
        if (
          /\.(webp|mp4|webm|flac|mp3|opus)$/.test(output.local_file) ||
          (output.n_frames ?? 1) > 1 ||
          output.key !== "images"
        ) {
          files.push({ name, dir: join(root, name), output, rerun: meta.rerun?.outputs[i] });
        }
      });
    }

    it("covers every animated, video and audio output of the corpus", () => {
      expect(files.length).toBeGreaterThanOrEqual(30);
    });

    describe.each(files.map((f) => [`${f.name}/${f.output.local_file}`, f] as const))(
      "%s",
      (_label, file) => {
        const bytes = readFileSync(join(file.dir, file.output.local_file));
        const classified = classifyOutput(
          { bytes, filename: file.output.filename, outputKey: file.output.key },
          file.output.local_file,
        );

        it("decodes with the facts its meta.json records", async () => {
          const decoded = await decodeOutput(bytes, classified, file.output.local_file);
          const o = file.output;
          if (o.video) {
            expect(classified.kind).toBe("video");
            expect(factValue(decoded, "size")).toBe(`${o.video.width}×${o.video.height}`);
            expect(factValue(decoded, "frames")).toBe(o.video.frames);
            const fps = String(factValue(decoded, "fps")).split("/").map(Number);
            expect(fps[0]! / fps[1]!).toBeCloseTo(o.video.fps, 6);
          } else if (o.audio) {
            expect(classified.kind).toBe("audio");
            expect(factValue(decoded, "sample rate")).toBe(o.audio.sample_rate);
            expect(factValue(decoded, "channels")).toBe(o.audio.channels);
            expect(factValue(decoded, "samples")).toBe(o.audio.samples);
          } else {
            expect(classified.kind).toBe(
              (o.n_frames ?? 1) > 1 || classified.format === "apng" ? "animation" : "image",
            );
            expect(factValue(decoded, "size")).toBe(`${o.width}×${o.height}`);
            if (classified.kind === "animation") {
              expect(factValue(decoded, "frames")).toBe(o.n_frames);
              expect(factValue(decoded, "durations (ms)")).toBe(
                (o.durations_ms_pil ?? []).map((d) => Math.round(d)).join(", "),
              );
              expect(factValue(decoded, "loop")).toBe(o.loop ?? 0);
            }
          }
          // Audio decodes bit-exact to what the recording hashed (FLAC as s16, MP3 as float32).
          if (o.audio && decoded.units[0]?.samples.type === "signal" && /\.(flac|mp3)$/.test(o.local_file)) {
            const { channels } = decoded.units[0].samples;
            const native =
              classified.format === "flac"
                ? channels.map((c) => Buffer.from(Int16Array.from(c, (v) => Math.round(v * 32768)).buffer))
                : channels.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
            expect(createHash("sha256").update(Buffer.concat(native)).digest("hex")).toBe(o.decoded_sha256);
          }
        });

        it("its second recording passes against it under the default of its kind", async () => {
          expect(file.rerun?.decoded_identical).toBe(true);
          const again = rerecorded(bytes, classified.format) ?? bytes;
          const result = await compareOutputs(
            { bytes, source: "first recording", classified },
            { bytes: again, source: "second recording", classified },
            choiceFor(classified),
          );
          expect(passes(result)).toBe(true);
          expect(result.kind).toBe("identical");
          if (again !== bytes) expect(result).toMatchObject({ via: "samples" });
        });
      },
    );
  },
);

describeWithFixture(
  "edits beyond tolerance fail, naming the frame or sample",
  ["reference-outputs-media", "cases"],
  (root) => {
    const load = async (file: string) => {
      const bytes = readFileSync(join(root, file));
      const classified = classifyOutput({ bytes }, file);
      return { bytes, classified, decoded: await decodeOutput(bytes, classified, file) };
    };
    const edited = (decoded: DecodedOutput, unit: number, edit: (s: Samples) => Samples): DecodedOutput => ({
      ...decoded,
      units: decoded.units.map((u, i) => (i === unit ? { ...u, samples: edit(u.samples) } : u)),
    });
    const compare = async (a: Awaited<ReturnType<typeof load>>, decoded: DecodedOutput) =>
      compareOutputs(
        { bytes: a.bytes, source: "golden", classified: a.classified, decoded: a.decoded },
        { bytes: Uint8Array.of(0), source: "actual", classified: a.classified, decoded },
        choiceFor(a.classified),
      );

    it("video: frame 3 brightened by 10 fails the per-frame PSNR, naming frame 3", async () => {
      const video = await load("m045_vid_createvideo_fps8_savevideo_auto_auto/5_0.mp4");
      const result = await compare(
        video,
        edited(video.decoded, 3, (s) =>
          s.type === "raster" ? { ...s, data: s.data.map((v) => Math.min(255, v + 10)) } : s,
        ),
      );
      expect(result.kind === "compared" && !result.pass).toBe(true);
      if (result.kind !== "compared") return;
      expect(result.units.filter((u) => !u.verdict.pass).map((u) => u.label)).toEqual(["frame 3"]);
      expect(result.units[3]!.verdict.summary).toMatch(/^PSNR \d+(\.\d+)? dB \(lowest passing 40 dB\)$/);
    });

    it("FLAC: one sample changed by one step fails, naming the sample", async () => {
      const flac = await load("m062_aud_flac_stereo48k_wav16/2_0.flac");
      const result = await compare(
        flac,
        edited(flac.decoded, 0, (s) => {
          if (s.type !== "signal") return s;
          const right = new Float32Array(s.channels[1]!);
          right[24000] = right[24000]! + 1 / 32768;
          return { ...s, channels: [s.channels[0]!, right] };
        }),
      );
      expect(result.kind === "compared" && !result.pass).toBe(true);
      if (result.kind === "compared") {
        expect(result.units[0]!.verdict.summary).toMatch(
          /^1 of 72000 samples differ, max \|Δ\| 0\.0000305176 \(channel 1, sample 24000 \(0\.5000 s\)/,
        );
      }
    });

    it("animated WebP: one frame changed fails, naming it", async () => {
      const webp = await load("m032_img_awebp_noise4_lossless_q80_default_fps6/3_0.webp");
      const result = await compare(
        webp,
        edited(webp.decoded, 2, (s) =>
          s.type === "raster" ? { ...s, data: s.data.map((v, i) => (i === 5 ? v ^ 1 : v)) } : s,
        ),
      );
      expect(result.kind === "compared" && !result.pass).toBe(true);
      if (result.kind === "compared") {
        expect(result.units.filter((u) => !u.verdict.pass).map((u) => u.label)).toEqual(["frame 2"]);
        expect(result.units[2]!.verdict.summary).toContain("at x 1, y 0");
      }
    });
  },
);
