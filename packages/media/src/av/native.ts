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
  captureLog(av);
  return av;
}

interface LogLine {
  readonly seq: number;
  readonly level: number;
  readonly message: string;
}

const LOG_KEEP = 64;
const logLines: LogLine[] = [];
let logSeq = 0;
let logInstalled = false;

/**
 * FFmpeg's log goes to a small ring buffer instead of stderr: a server must not spray codec chatter, and
 * an error needs FFmpeg's own words ("moov atom not found", libx264's "width not divisible by 2"). node-av
 * delivers log lines on a later tick, so readers `await settleLog()` first.
 */
function captureLog(av: NodeAv): void {
  if (logInstalled) return;
  logInstalled = true;
  av.lib.Log.setCallback(
    (level, message) => {
      logLines.push({ seq: ++logSeq, level, message: message.trim() });
      if (logLines.length > LOG_KEEP) logLines.shift();
    },
    { maxLevel: av.c.AV_LOG_WARNING },
  );
}

/** A mark in FFmpeg's log: lines logged after it are `logSince(mark)`. */
export function logMark(): number {
  return logSeq;
}

/** Lets log lines of work already done arrive (node-av posts them to the event loop). */
export function settleLog(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Error-level lines (or warnings, with `warnings`) logged since `mark`, oldest first. */
export function logSince(mark: number, av: NodeAv, options: { warnings?: boolean } = {}): string[] {
  const worst = options.warnings ? av.c.AV_LOG_WARNING : av.c.AV_LOG_ERROR;
  return logLines.filter((l) => l.seq > mark && l.level <= worst && l.message).map((l) => l.message);
}
