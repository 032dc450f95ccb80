import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type DecodedAudio,
  type DecodedVideo,
  decodeAudio,
  decodeImage,
  decodeVideo,
  probeMedia,
} from "@comfy-ts/media";
import { describeWithFixture, differencesOutsideVersions } from "@comfy-ts/test-support";
import { afterAll, describe, expect, it } from "vitest";
import type { LocalServer } from "../src/index.js";
import { corpusServer } from "./support/corpus-server.js";
import {
  type CaseRun,
  listReferenceCases,
  type ReferenceCase,
  runReferenceCase,
} from "./support/reference-cases.js";

/**
 * Every video and audio case of `../shared/fixtures/reference-outputs-media` (recorded on ComfyUI 0.3.65)
 * through the real protocol: POST /prompt, the WebSocket to `executing {node: null}`, the UI outputs of
 * each `executed` message, then every file through GET /view, compared with the recorded file:
 *
 * - **same bytes up to the writers' version strings** where the recording is byte-deterministic and the
 *   codec is the same library build — FLAC (FFmpeg's encoder) and MP3 (LAME; 3.101 here, 3.100 there,
 *   same bitstream); and identical decoded samples;
 * - **exact pixels** for PNG frames (GetVideoComponents → SaveImage);
 * - **within the goldens' default for its kind** where the encoder is a newer build (libx264 core 165 vs
 *   164, libvpx 1.15 vs 1.12, SVT-AV1, libopus): container facts equal (container, codec, size, pixel format,
 *   frames, fps, duration, sample rate, channels, samples), the `prompt` tag equal, and decoded
 *   frames/samples within the lossy default (video: PSNR ≥ `VIDEO_MIN_PSNR` dB per frame; audio: SNR ≥
 *   `AUDIO_MIN_SNR` dB) — see the table in the README;
 * - error cases: the recorded `execution_error` (node, exception type and message) or 400 body.
 */
const VIDEO_MIN_PSNR = 40;
const AUDIO_MIN_SNR = 30;
/**
 * A newer VP9/AV1 encoder build at the same settings (libvpx 1.15 vs 1.12, SVT-AV1 here vs 1.4.1): each
 * frame's PSNR against the encoder's input stays within this many dB of the recording's (measured: up
 * to 0.04 dB for VP9, 0.37 dB for AV1), and the file size within this fraction of the recording's
 * (measured: up to 3.1%). Another crf, preset or pixel format moves either far more.
 */
const ENCODER_BUILD_DB = 0.5;
const ENCODER_BUILD_SIZE = 0.05;

interface OutputMeta {
  node_id: string;
  key: string;
  index: number;
  filename: string;
  subfolder: string;
  type: string;
  local_file: string;
  view_content_type: string;
  file_sha256: string;
  container?: string;
  container_duration_s?: number;
  metadata_prompt_sha256?: string;
  video?: {
    codec: string;
    width: number;
    height: number;
    pix_fmt: string;
    frames: number;
    average_rate: string;
  };
  audio?: { codec: string; sample_rate: number; channels: number; layout: string; samples: number };
  streams?: { type: string; metadata?: Record<string, string> }[];
}

const AV_GROUPS = new Set(["vid", "aud"]);
/** Cases that failed on the recording host only because its PyAV was older than ComfyUI requires. */
const ENVIRONMENT_ARTEFACTS = new Set([
  "m057_vid_loadvideo_h264_aac_components_frames_audio",
  "m059_vid_loadvideo_h264_savevideo_auto_streamcopy",
]);

const sha256 = (data: Uint8Array | string): string => createHash("sha256").update(data).digest("hex");

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += ((a[i] as number) - (b[i] as number)) ** 2;
  return se === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10((255 * 255 * a.length) / se);
}

function snr(expected: DecodedAudio, actual: DecodedAudio): number {
  let signal = 0;
  let noise = 0;
  expected.samples.forEach((channel, c) => {
    for (let i = 0; i < channel.length; i++) {
      signal += (channel[i] as number) ** 2;
      noise += ((channel[i] as number) - (actual.samples[c]?.[i] ?? 0)) ** 2;
    }
  });
  return noise === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
}

const rateText = (r: { num: number; den: number } | undefined): string | undefined =>
  r === undefined ? undefined : r.den === 1 ? String(r.num) : `${r.num}/${r.den}`;

type FileRef = { filename: string; subfolder: string; type: string };
type UiOutputs = Record<string, Record<string, unknown[]>>;

/** The `executed` outputs of a run (or a recording), by node id. */
function executedOutputs(frames: CaseRun["frames"]): UiOutputs {
  const out: UiOutputs = {};
  for (const f of frames) {
    if ("type" in f && f.type === "executed") out[String(f.data.node)] = f.data.output as UiOutputs[string];
  }
  return out;
}

/**
 * Outputs as compared: PreviewAudio's random `_temp_xxxxx` and the file counters masked (a counter
 * continues the recording host's history of earlier cases and their reruns; its rule is tested apart).
 */
function comparable(outputs: UiOutputs): unknown {
  return JSON.parse(
    JSON.stringify(outputs)
      .replace(/_temp_[a-z]{5}_/g, "_temp_xxxxx_")
      .replace(/_\d{5}_\./g, "_#####_."),
  );
}

async function viewFile(server: Pick<LocalServer, "url">, o: FileRef) {
  const query = new URLSearchParams({ filename: o.filename, subfolder: o.subfolder, type: o.type });
  const res = await fetch(`${server.url}/view?${query}`);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

/** Checks one output file against the recording; returns how it compared (for the README's table). */
async function compareOutput(
  o: OutputMeta,
  recorded: Uint8Array,
  actual: Uint8Array,
  byteStable: boolean,
  encoderInput: () => Promise<Uint8Array[]>,
): Promise<string> {
  const ext = o.filename.slice(o.filename.lastIndexOf(".") + 1);
  if (ext === "png") {
    const [want, got] = await Promise.all([decodeImage(recorded), decodeImage(actual)]);
    expect([got.width, got.height, got.channels]).toEqual([want.width, want.height, want.channels]);
    expect(Buffer.from(got.frames[0]!.data).equals(Buffer.from(want.frames[0]!.data))).toBe(true);
    return "exact pixels";
  }
  const [info, recordedInfo] = await Promise.all([
    probeMedia(actual, { name: o.filename }),
    probeMedia(recorded),
  ]);
  expect(info.container).toBe(o.container);
  // Durations as one reader reports them (FFmpeg 5.1 counted an MP3's encoder padding, FFmpeg 8 does not).
  expect(Math.abs((info.durationS ?? 0) - (recordedInfo.durationS ?? 0))).toBeLessThanOrEqual(0.001);
  if (o.metadata_prompt_sha256) {
    const tags = { ...info.metadata, ...(info.audio?.metadata ?? {}) };
    const prompt = tags.prompt ?? tags.PROMPT;
    expect(prompt && sha256(prompt), "the prompt tag").toBe(o.metadata_prompt_sha256);
  }
  if (o.video) {
    const [want, got] = (await Promise.all([decodeVideo(recorded), decodeVideo(actual)])) as [
      DecodedVideo,
      DecodedVideo,
    ];
    expect([
      got.stream.codec,
      got.width,
      got.height,
      got.stream.pixFmt,
      got.frameCount,
      rateText(got.fps),
    ]).toEqual([
      o.video.codec,
      o.video.width,
      o.video.height,
      o.video.pix_fmt,
      o.video.frames,
      o.video.average_rate,
    ]);
    if (o.audio) {
      const audio = await decodeAudio(actual);
      expect([audio.stream.codec, audio.sampleRate, audio.channels, audio.layout]).toEqual([
        o.audio.codec,
        o.audio.sample_rate,
        o.audio.channels,
        o.audio.layout,
      ]);
    }
    const worst = Math.min(...want.frames.map((f, k) => psnr(f.rgb!, got.frames[k]!.rgb!)));
    if (o.video.codec === "h264" || (o.video.codec === "vp9" && worst === Number.POSITIVE_INFINITY)) {
      expect(worst, `lowest per-frame PSNR of ${o.filename}`).toBeGreaterThanOrEqual(VIDEO_MIN_PSNR);
      return worst === Number.POSITIVE_INFINITY
        ? "identical decoded frames"
        : `within tolerance (worst frame PSNR ${worst.toFixed(1)} dB ≥ ${VIDEO_MIN_PSNR})`;
    }
    // libvpx 1.15 / SVT-AV1 here against libvpx 1.12 / SVT-AV1 1.4.1 there: other bitstreams, so the
    // frames are not compared with the recording's; the encoder settings are, by what they do to the
    // encoder's input (quality per frame) and to the file size.
    const input = await encoderInput();
    expect(input).toHaveLength(got.frames.length);
    let widest = 0;
    got.frames.forEach((frame, k) => {
      const ours = psnr(frame.rgb!, input[k]!);
      const theirs = psnr(want.frames[k]!.rgb!, input[k]!);
      widest = Math.max(widest, Math.abs(ours - theirs));
      expect(
        Math.abs(ours - theirs),
        `frame ${k}: PSNR vs the input ${ours} dB, ComfyUI's ${theirs} dB`,
      ).toBeLessThanOrEqual(ENCODER_BUILD_DB);
    });
    const size = actual.length / recorded.length - 1;
    expect(Math.abs(size), `file size ${actual.length} vs ${recorded.length}`).toBeLessThanOrEqual(
      ENCODER_BUILD_SIZE,
    );
    return `facts equal; newer ${o.video.codec} encoder: per-frame PSNR vs the input within ${widest.toFixed(2)} dB of ComfyUI's, size ${(size * 100).toFixed(1)}% (frames vs the recording: worst PSNR ${worst.toFixed(1)} dB)`;
  }
  const [want, got] = (await Promise.all([
    decodeAudio(recorded, { native: true }),
    decodeAudio(actual, { native: true }),
  ])) as [DecodedAudio, DecodedAudio];
  expect([got.stream.codec, got.sampleRate, got.channels, got.layout, got.sampleCount]).toEqual([
    o.audio!.codec,
    o.audio!.sample_rate,
    o.audio!.channels,
    o.audio!.layout,
    o.audio!.samples,
  ]);
  if (ext === "flac" || ext === "mp3") {
    const same = got.native!.channels.every((ch, c) =>
      Buffer.from(ch.buffer, ch.byteOffset, ch.byteLength).equals(
        Buffer.from(
          want.native!.channels[c]!.buffer,
          want.native!.channels[c]!.byteOffset,
          want.native!.channels[c]!.byteLength,
        ),
      ),
    );
    expect(same, "decoded samples").toBe(true);
    if (byteStable) {
      expect(actual.length).toBe(recorded.length);
      expect(differencesOutsideVersions(recorded, actual)).toEqual([]);
      return "bit-exact (bytes up to writer versions)";
    }
    return "exact samples";
  }
  const db = snr(want, got);
  expect(db, `SNR of ${o.filename}`).toBeGreaterThanOrEqual(AUDIO_MIN_SNR);
  return `within tolerance (SNR ${db.toFixed(1)} dB ≥ ${AUDIO_MIN_SNR})`;
}

/**
 * The frames a video saver of `c` encoded: the same graph with a SaveImage in the saver's place (the
 * nodes upstream are checked to the bit elsewhere), its PNGs decoded to rgb24.
 */
async function encoderInput(
  server: Pick<LocalServer, "url">,
  c: ReferenceCase,
  saver: string,
): Promise<Uint8Array[]> {
  const prompt = structuredClone(c.prompt);
  const node = prompt.prompt[saver]!;
  prompt.prompt[saver] = {
    class_type: "SaveImage",
    inputs: { images: node.inputs.images, filename_prefix: "encoder_input" },
  };
  prompt.prompt_id = randomUUID();
  const run = await runReferenceCase(server.url, {
    ...c,
    name: `${c.name} (encoder input)`,
    prompt,
    promptText: JSON.stringify(prompt),
  });
  expect(run.status).toBe(200);
  const files = (executedOutputs(run.frames)[saver]?.images ?? []) as FileRef[];
  return Promise.all(
    files.map(async (f) => {
      const image = await decodeImage((await viewFile(server, f)).bytes);
      const data = image.frames[0]!.data;
      if (image.channels !== 3 || !(data instanceof Uint8Array))
        throw new Error(`${f.filename}: expected an 8-bit RGB PNG`);
      return data;
    }),
  );
}

describeWithFixture(
  "media corpus, video and audio: POST /prompt + WS + /view",
  ["reference-outputs-media"],
  (root) => {
    const server = corpusServer(join(root, "inputs"), "comfy-ts-media-av-");

    const all = listReferenceCases(root).filter((c) => AV_GROUPS.has(String(c.meta.group)));
    const results: string[] = [];
    afterAll(() => {
      if (process.env.COMFY_TS_MEDIA_TABLE) process.stdout.write(`${results.sort().join("\n")}\n`);
    });

    const successes = all.filter((c) => c.group === "cases");
    describe.each(successes.map((c) => ({ name: c.name, c })))("$name", ({ c }) => {
      it("same UI outputs and files within each kind's check", async () => {
        const run = await runReferenceCase(server.url, c, 60_000);
        expect(run.status).toBe(200);
        const error = run.frames.find((f) => "type" in f && f.type === "execution_error");
        expect(error && "data" in error ? error.data : undefined).toBeUndefined();
        expect(comparable(executedOutputs(run.frames))).toEqual(comparable(executedOutputs(c.ws)));
        const outputs = (c.meta.outputs ?? []) as OutputMeta[];
        const rerun = c.meta.rerun as { outputs?: { file_bytes_identical?: boolean }[] } | undefined;
        const ours = executedOutputs(run.frames);
        for (const [k, o] of outputs.entries()) {
          const mine = ours[o.node_id]?.[o.key]?.[o.index] as FileRef | undefined;
          expect(mine, `${o.node_id}.${o.key}[${o.index}]`).toBeDefined();
          const view = await viewFile(server, mine!);
          expect([view.status, view.type]).toEqual([200, o.view_content_type]);
          const recorded = readFileSync(join(c.dir, o.local_file));
          const how = await compareOutput(
            o,
            recorded,
            view.bytes,
            rerun?.outputs?.[k]?.file_bytes_identical === true,
            () => encoderInput(server, c, o.node_id),
          );
          results.push(`| ${c.name} | ${o.local_file} | ${how} |`);
        }
      });
    });

    const errors = all.filter(
      (c) => c.group === "errors" && !ENVIRONMENT_ARTEFACTS.has(c.name) && c.meta.kind !== "accepted",
    );
    describe.each(errors.map((c) => ({ name: c.name, c })))("$name", ({ c }) => {
      it("the recorded error", async () => {
        const run = await runReferenceCase(server.url, c, 60_000);
        expect(run.status).toBe(c.response.status);
        if (run.status !== 200) {
          expect(run.body).toEqual(c.response.body);
          results.push(`| ${c.name} | — | same 400 answer |`);
          return;
        }
        const pick = (frames: ReferenceCase["ws"]) => {
          const f = frames.find((x) => "type" in x && x.type === "execution_error");
          if (!f || !("data" in f)) return undefined;
          const { node_id, node_type, exception_type, exception_message } = f.data;
          return { node_id, node_type, exception_type, exception_message };
        };
        expect(pick(run.frames)).toEqual(pick(c.ws));
        results.push(`| ${c.name} | — | same execution_error |`);
      });
    });

    const accepted = all.find((c) => c.name === "x04_savewebm_vp9_odd_size_37x29");
    it("x04 (VP9, odd size: not deterministic on ComfyUI either) writes a 37×29 WebM of 3 frames at 8 fps", async () => {
      expect(accepted).toBeDefined();
      const run = await runReferenceCase(server.url, accepted!, 60_000);
      expect(run.status).toBe(200);
      const file = executedOutputs(run.frames)["3"]!.images![0] as FileRef;
      const video = await decodeVideo((await viewFile(server, file)).bytes);
      expect([video.width, video.height, video.frameCount, rateText(video.fps), video.stream.codec]).toEqual([
        37,
        29,
        3,
        "8",
        "vp9",
      ]);
      results.push("| x04_savewebm_vp9_odd_size_37x29 | 3_0.webm | facts only (ComfyUI's own runs differ) |");
    });

    describe("cases that failed only on the recording host's old PyAV, as PyAV ≥ 14 runs them", () => {
      it("m057: GetVideoComponents of H.264 + AAC gives the 8 frames, the AAC audio (stereo 44.1 kHz) and fps 8.0", async () => {
        const c = all.find((x) => x.name === "m057_vid_loadvideo_h264_aac_components_frames_audio")!;
        const run = await runReferenceCase(server.url, c, 60_000);
        expect(run.status).toBe(200);
        const out = executedOutputs(run.frames);
        const frames = Object.values(out).flatMap((o) => (o.images ?? []) as FileRef[]);
        expect(frames).toHaveLength(8);
        const sounds = Object.values(out).flatMap((o) => (o.audio ?? []) as FileRef[]);
        expect(sounds).toHaveLength(1);
        const audio = await decodeAudio((await viewFile(server, sounds[0]!)).bytes);
        expect([audio.sampleRate, audio.channels, audio.sampleCount]).toEqual([44100, 2, 44100]);
        const texts = Object.values(out).flatMap((o) => (o.text ?? []) as string[]);
        expect(texts).toEqual(["8.0"]);
        results.push("| m057 (environment artefact) | frames + FLAC | runs as with PyAV ≥ 14 |");
      });

      it("m059: SaveVideo of a loaded H.264 MP4 copies its packets (decoded planes identical to the input's)", async () => {
        const c = all.find((x) => x.name === "m059_vid_loadvideo_h264_savevideo_auto_streamcopy")!;
        const run = await runReferenceCase(server.url, c, 60_000);
        expect(run.status).toBe(200);
        const file = Object.values(executedOutputs(run.frames)).flatMap(
          (o) => (o.images ?? []) as FileRef[],
        )[0]!;
        const copy = await decodeVideo((await viewFile(server, file)).bytes, { native: true, rgb: false });
        const source = await decodeVideo(readFileSync(join(root, "inputs", "video_h264_8f.mp4")), {
          native: true,
          rgb: false,
        });
        expect(copy.frameCount).toBe(source.frameCount);
        copy.frames.forEach((f, k) => {
          expect(
            Buffer.from(f.native!.data).equals(Buffer.from(source.frames[k]!.native!.data)),
            `frame ${k}`,
          ).toBe(true);
        });
        results.push("| m059 (environment artefact) | mp4 | stream copy, as with PyAV ≥ 14 |");
      });
    });
  },
);
