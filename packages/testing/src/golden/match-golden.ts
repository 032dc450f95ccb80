import { readFile } from "node:fs/promises";
import type { RgbaImage } from "@comfy-ts/core/png";
import type { Comparison } from "../compare/compare-images.js";
import {
  type CompareOptionsInput,
  resolveCompareOptions,
  validateCompareOptions,
} from "../compare/compare-options.js";
import { GoldenUsageError } from "../errors.js";
import { currentRunId, writeComparisonRecord } from "../report/comparison-record.js";
import { writeHtmlReport } from "../report/html-report.js";
import type { GoldenConfig } from "./golden-config.js";
import { goldenMessage } from "./golden-message.js";
import { defaultGoldenName } from "./golden-name.js";
import { type GoldenPaths, goldenPaths } from "./golden-paths.js";
import { determineOutcome, isPassing, type MatchOutcome } from "./match-outcome.js";
import {
  displayPath,
  outcomeSize,
  performSideEffects,
  type WrittenArtifacts,
} from "./perform-side-effects.js";
import { type ImageProvenance, provenanceOf } from "./provenance.js";
import type { UpdateMode } from "./update-mode.js";

/** Options of one `toMatchGolden` call: comparison tolerances plus where the golden is keyed. */
export interface GoldenOptions extends CompareOptionsInput {
  /** Key this golden by the server's environment (overrides the project's `keyByEnvironment`). */
  readonly keyByEnvironment?: boolean;
  /** Use this environment key instead of the one the image carries. */
  readonly environmentKey?: string;
}

const EXTRA_OPTION_KEYS = ["keyByEnvironment", "environmentKey"];

/** Checks `toMatchGolden` options eagerly (unknown keys, types, ranges). */
export function validateGoldenOptions(options: unknown): GoldenOptions {
  const valid = validateCompareOptions(options, EXTRA_OPTION_KEYS) as GoldenOptions;
  if (valid.keyByEnvironment !== undefined && typeof valid.keyByEnvironment !== "boolean") {
    throw new GoldenUsageError("`keyByEnvironment` option value must be a boolean");
  }
  if (
    valid.environmentKey !== undefined &&
    (typeof valid.environmentKey !== "string" || !/^[A-Za-z0-9_.+-]+$/.test(valid.environmentKey))
  ) {
    throw new GoldenUsageError(
      "`environmentKey` option value must be a non-empty string of letters, digits and _ . + -",
    );
  }
  return valid;
}

/** Everything one golden assertion needs from its test and run. */
export interface MatchGoldenArgs {
  /** The received value: PNG bytes, or an output image holding them in `bytes`. */
  readonly image: unknown;
  readonly name: string | undefined;
  readonly options: GoldenOptions | undefined;
  /** Absolute path of the test file. */
  readonly testFile: string;
  /** `describe > test` */
  readonly testName: string;
  /** 1 for the first unnamed `toMatchGolden` in this test, 2 for the second, … */
  readonly callIndex: number;
  readonly updateMode: UpdateMode;
  readonly ci: boolean;
  readonly config: GoldenConfig;
}

export interface MatchGoldenResult {
  readonly pass: boolean;
  readonly message: string;
  readonly outcome: MatchOutcome;
  readonly paths: GoldenPaths;
  readonly artifacts: WrittenArtifacts;
  readonly name: string;
}

/** PNG bytes out of whatever the test passed to `expect()`. */
export function imageBytes(image: unknown): { bytes: Uint8Array; provenance: ImageProvenance | undefined } {
  if (image instanceof Uint8Array) return { bytes: image, provenance: provenanceOf(image) };
  if (image instanceof ArrayBuffer) return { bytes: new Uint8Array(image), provenance: undefined };
  if (typeof image === "object" && image !== null && "bytes" in image && image.bytes instanceof Uint8Array) {
    return { bytes: image.bytes, provenance: provenanceOf(image) ?? provenanceOf(image.bytes) };
  }
  const got =
    image === null
      ? "null"
      : typeof image === "object"
        ? `an object with keys ${Object.keys(image).join(", ")}`
        : typeof image;
  throw new GoldenUsageError(
    `toMatchGolden expects PNG bytes (Uint8Array / Buffer) or an output image with a \`bytes\` field, got ${got}`,
  );
}

// Decoded goldens, so a golden compared several times in one worker (calibrate, loops) decodes once.
const decodedGoldens = new Map<string, { bytes: Uint8Array; decoded: RgbaImage }>();
const DECODED_CACHE_SIZE = 8;

function cachedGolden(path: string, bytes: Uint8Array): RgbaImage | undefined {
  const hit = decodedGoldens.get(path);
  if (!hit || hit.bytes.byteLength !== bytes.byteLength) return undefined;
  const view = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return view(hit.bytes).equals(view(bytes)) ? hit.decoded : undefined;
}

function rememberGolden(path: string, bytes: Uint8Array, comparison: Comparison | undefined): void {
  if (comparison?.kind !== "compared") return;
  decodedGoldens.delete(path);
  decodedGoldens.set(path, { bytes, decoded: comparison.expected });
  if (decodedGoldens.size > DECODED_CACHE_SIZE) decodedGoldens.delete(decodedGoldens.keys().next().value!);
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * One golden assertion, end to end: locate the golden, read it, decide (`determineOutcome`, pure),
 * perform the side effects, record the comparison for the HTML report, and build the message.
 */
export async function matchGolden(args: MatchGoldenArgs): Promise<MatchGoldenResult> {
  const started = performance.now();
  const options = validateGoldenOptions(args.options);
  const { bytes, provenance } = imageBytes(args.image);
  const { config } = args;
  const compare = resolveCompareOptions(config.compare, options);
  const keyed = options.keyByEnvironment ?? config.keyByEnvironment;
  const environmentKey = options.environmentKey ?? provenance?.environmentKey;
  if (keyed && !environmentKey) {
    throw new GoldenUsageError(
      "this golden is keyed by environment (keyByEnvironment), but the image carries no environment key: compare images returned by the `comfy` fixture, or pass `environmentKey`",
    );
  }
  const name = args.name ?? defaultGoldenName(args.testName, args.callIndex);
  const paths = goldenPaths({
    testFile: args.testFile,
    name,
    envKey: keyed ? environmentKey : undefined,
    resultsDir: config.resultsDir,
    root: config.root,
    testName: args.testName,
  });
  const goldenBytes = await readIfExists(paths.golden);
  const outcome = determineOutcome({
    golden: goldenBytes
      ? {
          bytes: goldenBytes,
          source: displayPath(config.root, paths.golden),
          decoded: cachedGolden(paths.golden, goldenBytes),
        }
      : undefined,
    actual: { bytes, source: `actual image for golden "${name}"` },
    options: compare,
    updateMode: args.updateMode,
    ci: args.ci,
  });
  if (goldenBytes && "comparison" in outcome) rememberGolden(paths.golden, goldenBytes, outcome.comparison);
  const artifacts = await performSideEffects(outcome, {
    paths,
    actualBytes: bytes,
    goldenBytes,
    provenance,
    environmentKey,
    options: compare,
    testName: args.testName,
    keepPassingImages: config.report === "all",
    acceptedBy: args.updateMode === "all" ? "vitest -u" : `update mode ${args.updateMode}`,
    root: config.root,
  });
  const shown = (path: string | undefined) => (path ? displayPath(config.root, path) : undefined);
  const message = goldenMessage(name, outcome, compare, {
    golden: displayPath(config.root, paths.golden),
    artifacts: {
      expected: shown(artifacts.expected),
      actual: shown(artifacts.actual),
      diff: shown(artifacts.diff),
    },
  });
  const pass = isPassing(outcome);
  const comparison = "comparison" in outcome ? outcome.comparison : undefined;
  const size = outcomeSize(outcome);
  const inResults = (path: string | undefined) => (path ? displayPath(config.resultsDir, path) : undefined);
  await writeComparisonRecord(config.resultsDir, {
    testFile: displayPath(config.root, args.testFile),
    testName: args.testName,
    key: paths.key,
    outcome: outcome.kind,
    pass,
    message,
    golden: displayPath(config.root, paths.golden),
    environmentKey,
    width: size.width,
    height: size.height,
    diffPixels:
      comparison?.kind === "compared"
        ? comparison.diffPixels
        : comparison?.kind === "identical"
          ? 0
          : undefined,
    diffRatio:
      comparison?.kind === "compared"
        ? comparison.diffRatio
        : comparison?.kind === "identical"
          ? 0
          : undefined,
    allowedDiffPixels: comparison?.kind === "compared" ? comparison.allowedDiffPixels : undefined,
    images: {
      expected: inResults(artifacts.expected),
      actual: inResults(artifacts.actual),
      diff: inResults(artifacts.diff),
    },
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    runId: currentRunId(),
  });
  if (!process.env.COMFY_TS_GOLDEN_REPORTER)
    await writeHtmlReport(config.resultsDir, { runId: currentRunId() });
  return { pass, message, outcome, paths, artifacts, name };
}
