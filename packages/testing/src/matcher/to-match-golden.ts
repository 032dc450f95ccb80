import { expect, type MatcherState } from "vitest";
import { GoldenUsageError } from "../errors.js";
import { goldenConfig } from "../golden/golden-config.js";
import { type GoldenOptions, matchGolden } from "../golden/match-golden.js";
import { isCi, resolveUpdateMode } from "../golden/update-mode.js";

declare module "vitest" {
  interface Assertion<T> {
    /**
     * Compares a PNG (bytes, or an output image of the `comfy` fixture) with the golden image
     * `__goldens__/<test file>/<name>.png` beside the test, by decoded pixels. Async: `await` it.
     *
     * Passes when no more pixels differ (pixelmatch, `threshold`) than both `maxDiffPixels` and
     * `maxDiffPixelRatio` × area allow. A missing golden fails unless the run is `vitest -u`
     * (never written when `CI` is set); a failure leaves `-expected`, `-actual` and `-diff` PNGs in the
     * results folder, attached to the test.
     *
     * @param name golden name (`/`-separated, portable characters); defaults to the test's name.
     * @example
     * const result = await comfy.run(invertGraph());
     * await expect(result.image("out")).toMatchGolden("inverted", { maxDiffPixels: 10 });
     */
    toMatchGolden(name?: string, options?: GoldenOptions): Promise<void>;
    toMatchGolden(options: GoldenOptions): Promise<void>;
  }
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
    for (const kind of ["expected", "actual", "diff"] as const) {
      const path = result.artifacts[kind];
      if (path && context?.annotate) {
        await context.annotate(`golden "${result.name}" ${kind}`, `golden-${kind}`, {
          path,
          contentType: "image/png",
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
