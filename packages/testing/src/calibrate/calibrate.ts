import type { RunInput } from "@comfy-ts/core/client";
import { decodePng, type RgbaImage } from "@comfy-ts/core/png";
import { comparePixels } from "../compare/compare-images.js";
import { resolveCompareOptions } from "../compare/compare-options.js";
import { GoldenUsageError } from "../errors.js";
import { ComfyHarness } from "../fixtures/comfy-harness.js";
import type { ConnectedServer } from "../fixtures/connect-server.js";
import type { SeedSpec } from "../seeds/pin-seeds.js";

/** How one output image varied on one server against the reference (first run, first server). */
export interface ImageSpread {
  /** `<node id>` or `<node id>#<index>` for batches. */
  readonly output: string;
  readonly server: string;
  readonly environmentKey: string;
  /** Runs compared (the reference itself is not counted). */
  readonly runs: number;
  readonly width: number;
  readonly height: number;
  /** Runs whose pixels equal the reference exactly. */
  readonly identicalRuns: number;
  readonly sizeMismatches: number;
  /** Most pixels differing at all (threshold 0), and at the default threshold. */
  readonly maxDiffPixelsExact: number;
  readonly maxDiffPixels: number;
  readonly maxDiffRatio: number;
  /** Largest difference of one channel of one pixel (0–255). */
  readonly maxChannelDelta: number;
}

/** Tolerances that would have passed every compared run, with a margin. */
export interface ToleranceSuggestion {
  readonly threshold: number;
  readonly maxDiffPixels: number | undefined;
  readonly maxDiffPixelRatio: number | undefined;
  /** Servers disagree beyond what runs on one server do: key goldens by environment. */
  readonly keyByEnvironment: boolean;
  readonly summary: string;
}

export interface CalibrationReport {
  readonly reference: { readonly server: string; readonly environmentKey: string };
  readonly runsPerServer: number;
  readonly spreads: readonly ImageSpread[];
  readonly suggestion: ToleranceSuggestion;
}

export interface CalibrationOptions {
  /** Runs per server (≥ 1; the reference run on the first server counts as one). Default 5. */
  readonly runs?: number;
  readonly seeds?: SeedSpec;
  /** Called after each run (for progress output). */
  readonly onRun?: (server: string, run: number, ms: number) => void;
}

function maxChannelDelta(a: RgbaImage, b: RgbaImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    if (d > max) max = d;
  }
  return max;
}

const EXACT = resolveCompareOptions({ threshold: 0, includeAA: true });
const DEFAULT = resolveCompareOptions();

/**
 * Runs a pipeline `runs` times on every server, forcing execution each time, and measures how far each
 * output image strays from the first run on the first server — the data to choose `threshold`,
 * `maxDiffPixels` and `maxDiffPixelRatio` (and whether goldens must be keyed by environment).
 */
export async function calibrate(
  input: RunInput,
  servers: readonly ConnectedServer[],
  options: CalibrationOptions = {},
): Promise<CalibrationReport> {
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1)
    throw new GoldenUsageError(`runs must be an integer ≥ 1, got ${runs}`);
  if (servers.length === 0) throw new GoldenUsageError("calibrate needs at least one server");
  const reference = new Map<string, RgbaImage>();
  const spreads = new Map<string, { -readonly [K in keyof ImageSpread]: ImageSpread[K] }>();
  for (const [serverIndex, server] of servers.entries()) {
    const harness = new ComfyHarness([server]);
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const result = await harness.run(input, {
        forceExecution: "nonce",
        lint: "off",
        ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
      });
      options.onRun?.(server.url, run, performance.now() - started);
      const perNode = new Map<string, number>();
      for (const image of result.images) {
        const index = perNode.get(image.nodeId) ?? 0;
        perNode.set(image.nodeId, index + 1);
        const output = index === 0 ? image.nodeId : `${image.nodeId}#${index}`;
        const pixels = decodePng(image.bytes, {
          source: `${server.url} output ${output}, run ${run}`,
        }).toRgba();
        const ref = reference.get(output);
        if (!ref) {
          if (serverIndex === 0 && run === 1) reference.set(output, pixels);
          continue;
        }
        const key = `${server.url}\0${output}`;
        const spread = spreads.get(key) ?? {
          output,
          server: server.url,
          environmentKey: server.environmentKey,
          runs: 0,
          width: pixels.width,
          height: pixels.height,
          identicalRuns: 0,
          sizeMismatches: 0,
          maxDiffPixelsExact: 0,
          maxDiffPixels: 0,
          maxDiffRatio: 0,
          maxChannelDelta: 0,
        };
        spread.runs += 1;
        const exact = comparePixels(ref, pixels, EXACT);
        if (exact.kind === "size-mismatch") spread.sizeMismatches += 1;
        else if (exact.kind === "identical") spread.identicalRuns += 1;
        else {
          const loose = comparePixels(ref, pixels, DEFAULT);
          const loosePixels = loose.kind === "compared" ? loose.diffPixels : 0;
          spread.maxDiffPixelsExact = Math.max(spread.maxDiffPixelsExact, exact.diffPixels);
          spread.maxDiffPixels = Math.max(spread.maxDiffPixels, loosePixels);
          spread.maxDiffRatio = Math.max(spread.maxDiffRatio, loosePixels / (pixels.width * pixels.height));
          spread.maxChannelDelta = Math.max(spread.maxChannelDelta, maxChannelDelta(ref, pixels));
        }
        spreads.set(key, spread);
      }
    }
  }
  const all = [...spreads.values()];
  return {
    reference: { server: servers[0]!.url, environmentKey: servers[0]!.environmentKey },
    runsPerServer: runs,
    spreads: all,
    suggestion: suggest(all, servers[0]!.url),
  };
}

function suggest(spreads: readonly ImageSpread[], referenceServer: string): ToleranceSuggestion {
  const sizeChanges = spreads.some((s) => s.sizeMismatches > 0);
  const within = spreads.filter((s) => s.server === referenceServer);
  const across = spreads.filter((s) => s.server !== referenceServer);
  const worst = (list: readonly ImageSpread[]) => Math.max(0, ...list.map((s) => s.maxDiffPixels));
  const worstRatio = (list: readonly ImageSpread[]) => Math.max(0, ...list.map((s) => s.maxDiffRatio));
  const keyByEnvironment = sizeChanges || (across.length > 0 && worst(across) > 2 * worst(within) + 0);
  const basis = keyByEnvironment ? within : spreads;
  const pixels = worst(basis);
  const ratio = worstRatio(basis);
  if (pixels === 0) {
    return {
      threshold: DEFAULT.threshold,
      maxDiffPixels: undefined,
      maxDiffPixelRatio: undefined,
      keyByEnvironment,
      summary: `${keyByEnvironment ? "servers differ from each other: key goldens by environment (keyByEnvironment: true). " : ""}Every run matched within the default threshold: keep the defaults (no differing pixel allowed).`,
    };
  }
  // A margin over the worst run seen, so a slightly worse run does not flake.
  const maxDiffPixels = Math.ceil(pixels * 1.5) + 1;
  const maxDiffPixelRatio = Math.ceil(ratio * 1.5 * 10000) / 10000;
  return {
    threshold: DEFAULT.threshold,
    maxDiffPixels,
    maxDiffPixelRatio,
    keyByEnvironment,
    summary: `${keyByEnvironment ? "servers differ from each other beyond the run-to-run spread: key goldens by environment (keyByEnvironment: true). " : ""}Worst run: ${pixels} pixels (${(ratio * 100).toFixed(3)}%) beyond threshold ${DEFAULT.threshold}; suggested { maxDiffPixels: ${maxDiffPixels} } or { maxDiffPixelRatio: ${maxDiffPixelRatio} }.`,
  };
}
