import type { RunInput } from "@comfy-ts/core/client";
import type { ComparatorChoice } from "../compare/comparator-choice.js";
import { psnrDb } from "../compare/comparators/psnr.js";
import { scanRaster, scanSignal, scanTensor } from "../compare/comparators/sample-deltas.js";
import { sameSamples } from "../compare/compare-outputs.js";
import type { Samples } from "../compare/samples.js";
import { DEFAULT_TOLERANCES, type ToleranceTable } from "../compare/tolerances.js";
import { GoldenUsageError } from "../errors.js";
import { ComfyHarness } from "../fixtures/comfy-harness.js";
import type { ConnectedServer } from "../fixtures/connect-server.js";
import { decodeOutput } from "../outputs/decode-output.js";
import { type DecodedOutput, factDifferences } from "../outputs/decoded-output.js";
import { classifyOutput, type GoldenFormat, type GoldenKind } from "../outputs/output-kind.js";
import type { SeedSpec } from "../seeds/pin-seeds.js";

/** How one output varied across the runs of one server, against that server's first run. */
export interface OutputSpread {
  /** `<node id>` or `<node id>#<index>` for several files of one node. */
  readonly output: string;
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  readonly server: string;
  readonly environmentKey: string;
  /** Runs compared with the first run of this server. */
  readonly runs: number;
  /** Runs whose decoded samples equal the first run's exactly. */
  readonly identicalRuns: number;
  /** Runs whose facts (size, frames, sample rate …) changed. */
  readonly factChanges: number;
  /** Largest |Δ| of one sample (pixels 0–255, audio −1…1, tensor values). */
  readonly maxDelta: number;
  /** Most samples of one unit (image, frame, stream, tensor) that differed at all. */
  readonly maxDifferingSamples: number;
  /** Lowest per-frame PSNR (images, animations, video) or SNR (audio) in dB; undefined when never different. */
  readonly worstDb: number | undefined;
  /** How far this server's first run is from the first server's (across environments), when it is not the first. */
  readonly versusReference: { readonly maxDelta: number; readonly identical: boolean } | undefined;
}

export interface CalibrationReport {
  readonly reference: { readonly server: string; readonly environmentKey: string };
  readonly runsPerServer: number;
  readonly spreads: readonly OutputSpread[];
  /** Per environment key: the tolerance table that admits every measured run (with a margin). */
  readonly environments: Readonly<Record<string, ToleranceTable>>;
  /** True when servers disagree with each other although each is stable: key goldens by environment. */
  readonly keyByEnvironment: boolean;
  /** The `configureGoldens` call to paste into a vitest setup file (or that `--write` writes). */
  readonly config: string;
  readonly summary: string;
}

export interface CalibrationOptions {
  /** Runs per server (≥ 1; the first run is each server's reference). Default 5. */
  readonly runs?: number;
  readonly seeds?: SeedSpec;
  /** Called after each run (for progress output). */
  readonly onRun?: (server: string, run: number, ms: number) => void;
  readonly signal?: AbortSignal;
}

interface Measure {
  readonly identical: boolean;
  readonly maxDelta: number;
  readonly differing: number;
  /** dB of this unit (PSNR/SNR); +∞ when identical, undefined for tensors and text. */
  readonly db: number | undefined;
}

function measureUnit(a: Samples, b: Samples): Measure {
  if (sameSamples(a, b)) return { identical: true, maxDelta: 0, differing: 0, db: Number.POSITIVE_INFINITY };
  if (a.type === "raster" && b.type === "raster") {
    const scan = scanRaster(a, b, 0);
    return {
      identical: false,
      maxDelta: scan.maxDelta,
      differing: scan.exceeding,
      db: psnrDb(a.data, b.data, a.maxValue),
    };
  }
  if (a.type === "signal" && b.type === "signal") {
    const scan = scanSignal(a, b, 0);
    let signal = 0;
    let noise = 0;
    a.channels.forEach((x, c) => {
      const y = b.channels[c]!;
      for (let i = 0; i < x.length; i++) {
        signal += x[i]! * x[i]!;
        noise += (x[i]! - y[i]!) ** 2;
      }
    });
    return {
      identical: false,
      maxDelta: scan.maxDelta,
      differing: scan.exceeding,
      db: 10 * Math.log10(signal / noise),
    };
  }
  if (a.type === "tensor" && b.type === "tensor") {
    const scan = scanTensor(a, b, () => false);
    return { identical: false, maxDelta: scan.maxDelta, differing: scan.exceeding, db: undefined };
  }
  return { identical: false, maxDelta: Number.POSITIVE_INFINITY, differing: 1, db: undefined };
}

/** The choice admitting a measured spread: `exact` when every run was identical, else a margin over the worst run. */
function suggestChoice(
  spreads: readonly OutputSpread[],
  kind: GoldenKind,
  format: GoldenFormat,
): ComparatorChoice {
  const worst = (f: (s: OutputSpread) => number) => Math.max(0, ...spreads.map(f));
  const defaults = DEFAULT_TOLERANCES[format] ?? DEFAULT_TOLERANCES[kind]!;
  if (spreads.every((s) => s.identicalRuns === s.runs)) {
    // Stable: strict, unless the default is already a lossy-codec tolerance (keep it: encoders change).
    return defaults.comparator === "exact" ? { comparator: "exact" } : defaults;
  }
  const worstDb = Math.min(...spreads.map((s) => s.worstDb ?? Number.POSITIVE_INFINITY));
  // Margins: 25% over the largest difference seen, 1 dB under the lowest ratio seen.
  if (kind === "video" || format === "mp3" || format === "opus" || format === "vorbis") {
    return kind === "video"
      ? { comparator: "psnr", minDb: Math.floor(worstDb - 1) }
      : { comparator: "snr", minDb: Math.floor(worstDb - 1) };
  }
  if (kind === "latent")
    return {
      comparator: "allclose",
      atol: Number((worst((s) => s.maxDelta) * 1.25).toPrecision(3)),
      rtol: 0,
    };
  if (kind === "text") return { comparator: "normalized-text" };
  const maxDelta =
    kind === "audio"
      ? Number((worst((s) => s.maxDelta) * 1.25).toPrecision(3))
      : Math.ceil(worst((s) => s.maxDelta) * 1.25);
  return { comparator: "channel-delta", maxDelta };
}

function configText(
  environments: Readonly<Record<string, ToleranceTable>>,
  keyByEnvironment: boolean,
): string {
  const body = JSON.stringify({ environments, ...(keyByEnvironment ? { keyByEnvironment } : {}) }, null, 2);
  return `import { configureGoldens } from "@comfy-ts/testing";\n\n// Measured by \`comfy-ts calibrate\`: the spread of each environment's runs, with a margin.\nconfigureGoldens(${body});\n`;
}

/**
 * Runs a pipeline `runs` times on every server, forcing execution each time, decodes every output
 * (images, animations, video, audio, latents, text) and measures how far each run strays from the first
 * run on its server, and how far each server's first run is from the first server's — then turns that
 * into the per-environment tolerance table (`configureGoldens({ environments })`) and whether goldens
 * must be keyed by environment.
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
  const reference = new Map<string, DecodedOutput>();
  const spreads: OutputSpread[] = [];
  for (const [serverIndex, server] of servers.entries()) {
    const harness = new ComfyHarness([server]);
    const first = new Map<string, DecodedOutput>();
    const acc = new Map<string, { -readonly [K in keyof OutputSpread]: OutputSpread[K] }>();
    for (let run = 1; run <= runs; run++) {
      options.signal?.throwIfAborted();
      const started = performance.now();
      const result = await harness.run(input, {
        forceExecution: "nonce",
        lint: "off",
        ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onRun?.(server.url, run, performance.now() - started);
      const perNode = new Map<string, number>();
      for (const file of result.outputs) {
        const index = perNode.get(file.nodeId) ?? 0;
        perNode.set(file.nodeId, index + 1);
        const output = index === 0 ? file.nodeId : `${file.nodeId}#${index}`;
        const source = `${server.url} output ${output}, run ${run}`;
        const classified = classifyOutput(
          { bytes: file.bytes, filename: file.filename, outputKey: file.key },
          source,
        );
        const decoded = await decodeOutput(file.bytes, classified, source);
        if (run === 1) {
          first.set(output, decoded);
          const ref = reference.get(output);
          if (serverIndex === 0) reference.set(output, decoded);
          const versus = ref ? compareRuns(ref, decoded) : undefined;
          acc.set(output, {
            output,
            kind: classified.kind,
            format: classified.format,
            server: server.url,
            environmentKey: server.environmentKey,
            runs: 0,
            identicalRuns: 0,
            factChanges: 0,
            maxDelta: 0,
            maxDifferingSamples: 0,
            worstDb: undefined,
            versusReference: versus ? { maxDelta: versus.maxDelta, identical: versus.identical } : undefined,
          });
          continue;
        }
        const base = first.get(output);
        const spread = acc.get(output);
        if (!base || !spread) continue;
        spread.runs += 1;
        const measured = compareRuns(base, decoded);
        if (measured.factsChanged) spread.factChanges += 1;
        if (measured.identical) spread.identicalRuns += 1;
        spread.maxDelta = Math.max(spread.maxDelta, measured.maxDelta);
        spread.maxDifferingSamples = Math.max(spread.maxDifferingSamples, measured.differing);
        if (measured.db !== undefined && Number.isFinite(measured.db)) {
          spread.worstDb = Math.min(spread.worstDb ?? Number.POSITIVE_INFINITY, measured.db);
        }
      }
    }
    spreads.push(...acc.values());
  }
  const environments: Record<string, Record<string, ComparatorChoice>> = {};
  for (const key of new Set(spreads.map((s) => s.environmentKey))) {
    const ofEnv = spreads.filter((s) => s.environmentKey === key);
    const table: Record<string, ComparatorChoice> = {};
    for (const kind of new Set(ofEnv.map((s) => s.kind))) {
      const ofKind = ofEnv.filter((s) => s.kind === kind);
      table[kind] = suggestChoice(ofKind, kind, ofKind[0]!.format);
    }
    environments[key] = table;
  }
  // Servers disagreeing beyond a server's own spread: one golden cannot serve them all.
  const keyByEnvironment = spreads.some(
    (s) => s.versusReference && !s.versusReference.identical && s.versusReference.maxDelta > s.maxDelta,
  );
  const unstable = spreads.filter((s) => s.identicalRuns < s.runs);
  const summary = [
    unstable.length === 0
      ? `Every run gave identical outputs on its server: keep strict goldens (exact).`
      : `${unstable.length} output${unstable.length === 1 ? "" : "s"} varied between runs: ${unstable.map((s) => `${s.output} on ${s.environmentKey} (${s.runs - s.identicalRuns} of ${s.runs} runs, max |Δ| ${s.maxDelta})`).join("; ")}.`,
    keyByEnvironment
      ? "Servers disagree with each other beyond their own run-to-run spread: key goldens by environment (keyByEnvironment: true)."
      : "",
    spreads.some((s) => s.factChanges > 0)
      ? "Some runs changed size, frame count or another fact: the pipeline is not reproducible as configured."
      : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    reference: { server: servers[0]!.url, environmentKey: servers[0]!.environmentKey },
    runsPerServer: runs,
    spreads,
    environments,
    keyByEnvironment,
    config: configText(environments, keyByEnvironment),
    summary,
  };
}

function compareRuns(a: DecodedOutput, b: DecodedOutput): Measure & { factsChanged: boolean } {
  if (factDifferences(a.facts, b.facts).length > 0 || a.units.length !== b.units.length) {
    return {
      identical: false,
      maxDelta: Number.POSITIVE_INFINITY,
      differing: 0,
      db: undefined,
      factsChanged: true,
    };
  }
  let identical = true;
  let maxDelta = 0;
  let differing = 0;
  let db: number | undefined;
  a.units.forEach((unit, i) => {
    const m = measureUnit(unit.samples, b.units[i]!.samples);
    identical &&= m.identical;
    maxDelta = Math.max(maxDelta, m.maxDelta);
    differing = Math.max(differing, m.differing);
    if (m.db !== undefined) db = Math.min(db ?? Number.POSITIVE_INFINITY, m.db);
  });
  return { identical, maxDelta, differing, db, factsChanged: false };
}
