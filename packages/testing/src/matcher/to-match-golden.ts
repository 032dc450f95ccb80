// Kept in the built .d.ts (a named import whose names no declaration uses is dropped there): without
// an import of "vitest" the `declare module "vitest"` below does not reach a user's tests.
import "vitest";
import { expect, type MatcherState } from "vitest";
import { GoldenUsageError } from "../errors.js";
import { goldenConfig } from "../golden/golden-config.js";
import { type GoldenOptions, matchGolden } from "../golden/match-golden.js";
import { isCi, resolveUpdateMode } from "../golden/update-mode.js";

declare module "vitest" {
  interface Assertion<T> {
    /**
     * Compares an output of the `comfy` fixture (`result.output(…)`: image, animation, video, audio,
     * latent; `result.textOutput(…)`), file bytes or text with the golden
     * `__goldens__/<test file>/<name>.<ext>` beside the test, by decoded samples. Async: `await` it.
     *
     * Strict by default: identical samples (video: per-frame PSNR ≥ 40 dB, MP3/Opus: SNR ≥ 30 dB). Pass
     * a comparator and its tolerances to decide otherwise, e.g. `{ comparator: "channel-delta", maxDelta: 2 }`.
     * A missing golden fails unless the run is `vitest -u` (never written when `CI` is set); a failure
     * leaves copies of both files, pictures and the difference in the results folder, attached to the test.
     *
     * @param name golden name (`/`-separated, portable characters); defaults to the test's name.
     * @example
     * const result = await comfy.run(invertGraph());
     * await expect(result.output("out")).toMatchGolden("inverted");
     */
    toMatchGolden(name?: string, options?: GoldenOptions): Promise<void>;
    toMatchGolden(options: GoldenOptions): Promise<void>;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  bmp: "image/bmp",
  tiff: "image/tiff",
  mp4: "video/mp4",
  webm: "video/webm",
  mkv: "video/x-matroska",
  flac: "audio/flac",
  wav: "audio/wav",
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  ogg: "audio/ogg",
  txt: "text/plain",
  diff: "text/x-diff",
};

/** The MIME type of an artifact by its extension (annotations tell vitest --ui how to show it). */
function contentType(path: string): string {
  return CONTENT_TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}

const unnamedCalls = new WeakMap<object, { attempt: string; count: number }>();

async function toMatchGolden(
  this: MatcherState,
  received: unknown,
  nameOrOptions?: string | GoldenOptions,
  maybeOptions?: GoldenOptions,
) {
  if (this.isNot)
    throw new GoldenUsageError(
      "`.not.toMatchGolden()` is not supported: assert what the image should look like",
    );
  const task = this.task;
  if (!task || !this.testPath)
    throw new GoldenUsageError("toMatchGolden must run inside a test (no current test)");
  if (nameOrOptions !== undefined && typeof nameOrOptions !== "string" && typeof nameOrOptions !== "object") {
    throw new GoldenUsageError(
      `toMatchGolden's first argument must be a golden name or an options object, got ${typeof nameOrOptions}`,
    );
  }
  const name = typeof nameOrOptions === "string" ? nameOrOptions : undefined;
  const options = typeof nameOrOptions === "object" ? nameOrOptions : maybeOptions;
  let callIndex = 0;
  if (name === undefined) {
    // Counted per attempt: a retried or repeated test names its goldens as the first attempt did.
    const attempt = `${task.result?.retryCount ?? 0}:${task.result?.repeatCount ?? 0}`;
    const seen = unnamedCalls.get(task);
    callIndex = seen?.attempt === attempt ? seen.count + 1 : 1;
    unnamedCalls.set(task, { attempt, count: callIndex });
  }
  const image =
    received && typeof (received as PromiseLike<unknown>).then === "function" ? await received : received;
  const result = await matchGolden({
    image,
    name,
    options,
    testFile: this.testPath,
    testName: this.currentTestName ?? task.name,
    callIndex,
    updateMode: resolveUpdateMode({
      vitestUpdate: this.snapshotState?.snapshotUpdateState,
      envOverride: process.env.COMFY_TS_UPDATE_GOLDENS,
      ci: isCi(),
    }),
    ci: isCi(),
    config: goldenConfig(),
  });
  if (!result.pass) {
    const context = task.context as
      | { annotate?: (m: string, t: string, a: object) => Promise<unknown> }
      | undefined;
    const roles = ["expected", "actual", "expectedPicture", "actualPicture", "diff"] as const;
    for (const role of roles) {
      const path = result.artifacts[role];
      if (path && context?.annotate) {
        await context.annotate(`golden "${result.name}" ${role}`, `golden-${role}`, {
          path,
          contentType: contentType(path),
        });
      }
    }
  }
  return { pass: result.pass, message: () => result.message };
}

let installed = false;

/** Registers `toMatchGolden` with vitest's `expect` (done when `@comfy-ts/testing` is imported; idempotent). */
export function installGoldenMatcher(): void {
  if (installed) return;
  installed = true;
  expect.extend({ toMatchGolden });
}

installGoldenMatcher();
