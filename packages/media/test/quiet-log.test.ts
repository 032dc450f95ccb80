import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsNodeArgs } from "@comfy-ts/test-support";
import { expect, test } from "vitest";

// A server encoding videos must not fill its stderr with codec chatter: FFmpeg's log and SVT-AV1's own
// printing are both silenced unless COMFY_TS_FFMPEG_LOG asks for them. Checked in a child process,
// whose stderr is the whole story.
const media = pathToFileURL(resolve(import.meta.dirname, "../src/index.ts")).href;
const script = `
import { decodeVideo, encodeVideo } from ${JSON.stringify(media)};
const frames = [new Uint8Array(64 * 64 * 3).fill(100), new Uint8Array(64 * 64 * 3).fill(50)];
const video = { width: 64, height: 64, fps: { num: 8, den: 1 }, frames };
const av1 = await encodeVideo(video, { container: "webm", encoder: "libsvtav1", pixFmt: "yuv420p10le", bitRate: 0, codecOptions: { crf: "32", preset: "6" } });
const h264 = await encodeVideo(video, { container: "mp4", encoder: "libx264" });
await decodeVideo(av1);
await decodeVideo(h264.subarray(0, 1000)).catch(() => {});
process.stdout.write("done");
`;

function run(log: string | undefined) {
  const env: NodeJS.ProcessEnv = { ...process.env, COMFY_TS_FFMPEG_LOG: log };
  delete env.SVT_LOG;
  if (log === undefined) delete env.COMFY_TS_FFMPEG_LOG;
  const child = spawnSync(process.execPath, [...tsNodeArgs(), "--input-type=module", "--eval", script], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

test("encoding AV1 and H.264 and decoding a truncated MP4 print nothing to stderr", () => {
  expect(run(undefined)).toEqual({ stdout: "done", stderr: "", status: 0 });
});

test("COMFY_TS_FFMPEG_LOG=info brings both logs back", () => {
  const { stderr, status } = run("info");
  expect(status).toBe(0);
  expect(stderr).toMatch(/^Svt\[info\]/m);
});
