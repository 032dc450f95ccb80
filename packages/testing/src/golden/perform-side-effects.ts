import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { stringifyJsonLossless } from "@comfy-ts/core/json";
import { encodePng } from "@comfy-ts/core/png";
import type { Picture } from "../artifacts/raster-pictures.js";
import { renderArtifacts } from "../artifacts/render-artifacts.js";
import type { Comparison } from "../compare/compare-outputs.js";
import type { DecodedOutput } from "../outputs/decoded-output.js";
import type { Classified, GoldenFormat, GoldenKind } from "../outputs/output-kind.js";
import { writeFileAtomic } from "./atomic-write.js";
import type { EnvironmentInfo } from "./environment-key.js";
import { artifactPath, type GoldenPaths } from "./golden-paths.js";
import { isPassing, type MatchOutcome } from "./match-outcome.js";

/** One side of the comparison as the side effects need it. */
export interface SideFile {
  readonly bytes: Uint8Array;
  readonly classified: Classified;
  /** Where it is (the golden's own file, whatever its extension). */
  readonly path?: string;
}

/** What `performSideEffects` needs besides the outcome. */
export interface SideEffectContext {
  readonly paths: GoldenPaths;
  readonly actual: SideFile;
  readonly golden: SideFile | undefined;
  /** The sidecar to write when the golden is written or replaced. */
  readonly sidecar: GoldenSidecar;
  /** The decoded sides, when the comparison decoded them (pictures are drawn from them). */
  readonly decoded: {
    readonly expected?: DecodedOutput | undefined;
    readonly actual?: DecodedOutput | undefined;
  };
  /** Keep the files of passing comparisons too (for the HTML report). */
  readonly keepPassing: boolean;
}

/** Files written for one comparison (absolute paths), for messages, annotations and the report. */
export interface WrittenArtifacts {
  readonly golden?: string;
  readonly sidecar?: string;
  /** Copies of the golden and the output, with their real extensions. */
  readonly expected?: string;
  readonly actual?: string;
  /** Pictures of both sides (filmstrips, waveforms, latent channels) for kinds that are not PNG stills. */
  readonly expectedPicture?: string;
  readonly actualPicture?: string;
  /** The difference: a PNG (diff picture, filmstrip with a diff row …) or, for text, a unified diff. */
  readonly diff?: string;
}

/**
 * The provenance sidecar written beside an accepted golden. Nothing in it changes from run to run; it
 * is what a later failure is explained against (graph changed, or server changed).
 */
export interface GoldenSidecar {
  readonly golden: string;
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  readonly test: string;
  readonly acceptedBy: string;
  /** The output's facts when accepted: size, frames, fps, sample rate, shape … */
  readonly facts: Readonly<Record<string, string | number>> | undefined;
  /** The comparator and tolerances in effect when it was accepted. */
  readonly decidedBy: { readonly comparator: string; readonly options: Readonly<Record<string, unknown>> };
  readonly promptHash: string | undefined;
  readonly seeds: Readonly<Record<string, string>> | undefined;
  readonly environmentKey: string | undefined;
  /** ComfyUI, torch and Python versions and the device of the server it ran on. */
  readonly environment: EnvironmentInfo | undefined;
  readonly outputNode: { readonly id: string; readonly classType: string | undefined } | undefined;
  /** How the accepted output differed from the golden it replaced (absent for a new golden). */
  readonly replaced: { readonly reason: "kind" | "facts" | "samples"; readonly summary: string } | undefined;
  /** The compiled prompt it was accepted with: canonical, seeds pinned (written last, big integers exact). */
  readonly prompt: unknown;
}

async function writeArtifact(path: string, data: Uint8Array | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

function png(picture: Picture): Uint8Array {
  return encodePng(picture, { compressLevel: 1, filter: "up" });
}

/** The sidecar as committed: two-space JSON, the prompt last and lossless (seeds up to 2^64 − 1). */
export function serializeSidecar(sidecar: GoldenSidecar): string {
  return `${stringifyJsonLossless(sidecar, 2)}\n`;
}

/**
 * Performs what an outcome calls for: writes the golden and its sidecar (atomically) for
 * `golden-written` / `golden-updated` (removing a golden of another extension it replaces), and the
 * artifacts in the results folder for failures (and for passes when `keepPassing`): copies of both
 * files, pictures of both sides where the kind needs them, and the difference. Nothing here decides.
 */
export async function performSideEffects(
  outcome: MatchOutcome,
  ctx: SideEffectContext,
): Promise<WrittenArtifacts> {
  const written: { -readonly [K in keyof WrittenArtifacts]: WrittenArtifacts[K] } = {};
  const jobs: Promise<unknown>[] = [];
  if (outcome.kind === "golden-written" || outcome.kind === "golden-updated") {
    jobs.push(writeFileAtomic(ctx.paths.golden, ctx.actual.bytes));
    jobs.push(writeFileAtomic(ctx.paths.sidecar, serializeSidecar(ctx.sidecar)));
    const old = ctx.golden?.path;
    if (old && old !== ctx.paths.golden) jobs.push(rm(old, { force: true }));
    written.golden = ctx.paths.golden;
    written.sidecar = ctx.paths.sidecar;
  }
  if (isPassing(outcome) && !ctx.keepPassing) {
    await Promise.all(jobs);
    return written;
  }
  const actualPath = artifactPath(ctx.paths, "actual", ctx.actual.classified.extension);
  jobs.push(writeArtifact(actualPath, ctx.actual.bytes));
  written.actual = actualPath;
  if (ctx.golden) {
    const expectedPath = artifactPath(ctx.paths, "expected", ctx.golden.classified.extension);
    const golden = ctx.golden;
    jobs.push(
      mkdir(dirname(expectedPath), { recursive: true }).then(() =>
        // The golden may be replaced concurrently by this same outcome: then write the bytes we compared with.
        outcome.kind === "golden-updated" || !golden.path
          ? writeFile(expectedPath, golden.bytes)
          : copyFile(golden.path, expectedPath),
      ),
    );
    written.expected = expectedPath;
  }
  const pictures = renderArtifacts(ctx.decoded.expected, ctx.decoded.actual);
  if (pictures.expected) {
    written.expectedPicture = artifactPath(ctx.paths, "expected-picture", "png");
    jobs.push(writeArtifact(written.expectedPicture, png(pictures.expected)));
  }
  if (pictures.actual) {
    written.actualPicture = artifactPath(ctx.paths, "actual-picture", "png");
    jobs.push(writeArtifact(written.actualPicture, png(pictures.actual)));
  }
  const differs = !("comparison" in outcome) || outcome.comparison?.kind !== "identical";
  if (differs && pictures.diff) {
    written.diff = artifactPath(ctx.paths, "diff", "png");
    jobs.push(writeArtifact(written.diff, png(pictures.diff)));
  } else if (differs && pictures.textDiff) {
    written.diff = artifactPath(ctx.paths, "diff", "diff");
    jobs.push(writeArtifact(written.diff, pictures.textDiff));
  }
  await Promise.all(jobs);
  return written;
}

/** The decoded sides a comparison holds (pictures are drawn from them). */
export function decodedSides(comparison: Comparison | undefined): {
  expected?: DecodedOutput | undefined;
  actual?: DecodedOutput | undefined;
} {
  if (!comparison || comparison.kind === "kind-mismatch") return {};
  return { expected: comparison.expected, actual: comparison.actual };
}

/** `path` relative to `root`, with `/` separators (for messages and records). */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return (rel.startsWith("..") ? path : rel).split(sep).join("/");
}
