import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { encodePng } from "@comfy-ts/core/png";
import { type Comparison, renderDiffImage, type Size } from "../compare/compare-images.js";
import type { CompareOptions } from "../compare/compare-options.js";
import { writeFileAtomic } from "./atomic-write.js";
import type { GoldenPaths } from "./golden-paths.js";
import { isPassing, type MatchOutcome } from "./match-outcome.js";
import type { ImageProvenance } from "./provenance.js";

/** What `performSideEffects` needs besides the outcome. */
export interface SideEffectContext {
  readonly paths: GoldenPaths;
  readonly actualBytes: Uint8Array;
  readonly goldenBytes: Uint8Array | undefined;
  readonly provenance: ImageProvenance | undefined;
  readonly environmentKey: string | undefined;
  readonly options: CompareOptions;
  readonly testName: string;
  /** Keep expected/actual images of passing comparisons too (for the HTML report). */
  readonly keepPassingImages: boolean;
  /** How the golden got accepted, for the sidecar: e.g. `vitest -u`. */
  readonly acceptedBy: string;
  readonly root: string;
}

/** Files written for one comparison (absolute paths), for messages, annotations and the report. */
export interface WrittenArtifacts {
  readonly golden?: string;
  readonly sidecar?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly diff?: string;
}

/** The provenance sidecar written beside an accepted golden. Nothing in it changes from run to run. */
export interface GoldenSidecar {
  readonly golden: string;
  readonly test: string;
  readonly acceptedBy: string;
  readonly size: Size;
  readonly promptHash: string | undefined;
  readonly seeds: Readonly<Record<string, string>> | undefined;
  readonly environmentKey: string | undefined;
  readonly outputNode: { readonly id: string; readonly classType: string | undefined } | undefined;
  readonly compare: CompareOptions;
  /** How the accepted image differed from the golden it replaced (absent for a new golden). */
  readonly replaced:
    | {
        readonly reason: "size-mismatch" | "pixels";
        readonly diffPixels?: number;
        readonly diffRatio?: number;
      }
    | undefined;
}

/** The size of the actual image, as far as the outcome knows it. */
export function outcomeSize(outcome: MatchOutcome): Size {
  if (outcome.kind === "missing-golden" || outcome.kind === "golden-written") return outcome.size;
  return sizeOfComparison(outcome.comparison);
}

function sizeOfComparison(comparison: Comparison): Size {
  return comparison.kind === "size-mismatch" ? comparison.actual : comparison.size;
}

/** Builds the sidecar for a golden about to be written. */
export function buildSidecar(outcome: MatchOutcome, ctx: SideEffectContext): GoldenSidecar {
  const comparison = outcome.kind === "golden-updated" ? outcome.comparison : undefined;
  const p = ctx.provenance;
  return {
    golden: `${ctx.paths.key}.png`,
    test: ctx.testName,
    acceptedBy: ctx.acceptedBy,
    size: outcomeSize(outcome),
    promptHash: p?.promptHash,
    seeds: p?.seeds,
    environmentKey: ctx.environmentKey,
    outputNode: p?.nodeId ? { id: p.nodeId, classType: p.classType } : undefined,
    compare: ctx.options,
    replaced: comparison
      ? comparison.kind === "compared"
        ? { reason: "pixels", diffPixels: comparison.diffPixels, diffRatio: comparison.diffRatio }
        : { reason: "size-mismatch" }
      : undefined,
  };
}

async function writeArtifact(path: string, data: Uint8Array): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
  return path;
}

/**
 * Performs what an outcome calls for: writes goldens and sidecars (atomically) for `golden-written`
 * and `golden-updated`, and the `-expected`, `-actual` and `-diff` images in the results folder for
 * failures (and for passes when `keepPassingImages`). Nothing here decides anything.
 */
export async function performSideEffects(
  outcome: MatchOutcome,
  ctx: SideEffectContext,
): Promise<WrittenArtifacts> {
  const written: { -readonly [K in keyof WrittenArtifacts]: WrittenArtifacts[K] } = {};
  const jobs: Promise<unknown>[] = [];
  if (outcome.kind === "golden-written" || outcome.kind === "golden-updated") {
    const sidecar = buildSidecar(outcome, ctx);
    jobs.push(writeFileAtomic(ctx.paths.golden, ctx.actualBytes));
    jobs.push(writeFileAtomic(ctx.paths.sidecar, `${JSON.stringify(sidecar, null, 2)}\n`));
    written.golden = ctx.paths.golden;
    written.sidecar = ctx.paths.sidecar;
  }
  const keepImages = !isPassing(outcome) || ctx.keepPassingImages;
  if (keepImages) {
    jobs.push(writeArtifact(ctx.paths.actual, ctx.actualBytes));
    written.actual = ctx.paths.actual;
    if (ctx.goldenBytes) {
      jobs.push(
        mkdir(dirname(ctx.paths.expected), { recursive: true }).then(() =>
          copyFileOrWrite(
            ctx.paths.golden,
            ctx.paths.expected,
            ctx.goldenBytes!,
            outcome.kind === "golden-updated",
          ),
        ),
      );
      written.expected = ctx.paths.expected;
    }
    const comparison = "comparison" in outcome ? outcome.comparison : undefined;
    if (comparison?.kind === "compared") {
      jobs.push(
        writeArtifact(
          ctx.paths.diff,
          encodePng(renderDiffImage(comparison, ctx.options), { compressLevel: 1, filter: "up" }),
        ),
      );
      written.diff = ctx.paths.diff;
    }
  }
  await Promise.all(jobs);
  return written;
}

// The golden may be replaced concurrently by this same outcome: then write the bytes we compared with.
async function copyFileOrWrite(
  from: string,
  to: string,
  bytes: Uint8Array,
  goldenChanging: boolean,
): Promise<void> {
  if (goldenChanging) await writeFile(to, bytes);
  else await copyFile(from, to);
}

/** `path` relative to `root`, with `/` separators (for messages and records). */
export function displayPath(root: string, path: string): string {
  const rel = relative(root, path);
  return (rel.startsWith("..") ? path : rel).split(sep).join("/");
}
