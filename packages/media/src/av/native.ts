import type * as NodeAvConstants from "node-av/constants";
import type * as NodeAvLib from "node-av/lib";
import { MediaLibraryMissingError } from "../errors.js";

/** node-av's low-level bindings (FFmpeg's C API) and its constants, loaded on first use. */
export interface NodeAv {
  readonly lib: typeof NodeAvLib;
  readonly c: typeof NodeAvConstants;
}

type Importer = () => Promise<NodeAv>;

const importNodeAv: Importer = async () => {
  const [lib, c] = await Promise.all([import("node-av/lib"), import("node-av/constants")]);
  return { lib, c };
};

let loading: Promise<NodeAv> | undefined;

/**
 * node-av, imported lazily: its native addon carries a whole FFmpeg (≈170 MB) that image-only users never
 * load. Fails with a `MediaLibraryMissingError` saying what to install when the package or its prebuilt
 * binary for this platform is absent. `importer` is for tests.
 */
export function loadNodeAv(importer: Importer = importNodeAv): Promise<NodeAv> {
  if (importer !== importNodeAv) return importWithHelp(importer);
  loading ??= importWithHelp(importer).catch((error: unknown) => {
    loading = undefined; // a later call may succeed once the package is installed
    throw error;
  });
  return loading;
}

async function importWithHelp(importer: Importer): Promise<NodeAv> {
  let av: NodeAv;
  try {
    av = await importer();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new MediaLibraryMissingError(
      "node-av",
      `video and audio need node-av (FFmpeg for Node.js), which could not be loaded: ${reason}. ` +
        `Install it with \`npm install node-av\`; its FFmpeg comes prebuilt in the optional dependency ` +
        `@seydx/node-av-${process.platform}-${process.arch}, so do not install with --no-optional/--omit=optional.`,
      { cause: error },
    );
  }
  quietLog(av);
  return av;
}

/**
 * FFmpeg's log is silenced (it would print codec chatter to stderr; errors reach callers as typed errors
 * with FFmpeg's error code). `COMFY_TS_FFMPEG_LOG=error|warning|info|verbose|debug` prints it for debugging.
 * node-av's `Log.setCallback` is not used: a log line still queued when a thread exits (a worker
 * terminated mid-encode) aborts the whole process.
 *
 * SVT-AV1 prints to stderr itself (some twenty lines per encoder opened), at the level its `SVT_LOG`
 * environment variable names when an encoder starts; unless the user set it, it follows the same choice.
 */
function quietLog(av: NodeAv): void {
  const { c } = av;
  const levels: Record<string, [ffmpeg: number, svt: string]> = {
    error: [c.AV_LOG_ERROR, "1"],
    warning: [c.AV_LOG_WARNING, "2"],
    info: [c.AV_LOG_INFO, "3"],
    verbose: [c.AV_LOG_VERBOSE, "3"],
    debug: [c.AV_LOG_DEBUG, "4"],
  };
  const [ffmpeg, svt] = levels[process.env.COMFY_TS_FFMPEG_LOG ?? ""] ?? [c.AV_LOG_QUIET, "0"];
  av.lib.Log.setLevel(ffmpeg as Parameters<typeof av.lib.Log.setLevel>[0]);
  process.env.SVT_LOG ??= svt;
}

/** FFmpeg's text for an error code, e.g. "Invalid data found when processing input". */
export function ffmpegError(av: NodeAv, code: number): string {
  return av.lib.FFmpegError.strerror(code);
}
