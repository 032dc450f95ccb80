import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type ComparatorOptions, describeChoice, type ResolvedChoice } from "../compare/comparator-choice.js";
import { type Comparison, compareOutputs } from "../compare/compare-outputs.js";
import { resolveTolerance } from "../compare/tolerances.js";
import { GoldenOptionsError, GoldenUsageError } from "../errors.js";
import { decodeOutput } from "../outputs/decode-output.js";
import type { DecodedOutput } from "../outputs/decoded-output.js";
import { type Classified, classifyOutput, TEXT_CLASS } from "../outputs/output-kind.js";
import { currentRunId, writeComparisonRecord } from "../report/comparison-record.js";
import { writeHtmlReport } from "../report/html-report.js";
import type { GoldenConfig } from "./golden-config.js";
import { goldenMessage } from "./golden-message.js";
import { defaultGoldenName } from "./golden-name.js";
import { type GoldenPaths, goldenPaths } from "./golden-paths.js";
import { determineOutcome, isPassing, type MatchOutcome } from "./match-outcome.js";
import {
  decodedSides,
  displayPath,
  type GoldenSidecar,
  performSideEffects,
  type SideFile,
  type WrittenArtifacts,
} from "./perform-side-effects.js";
import { type OutputProvenance, provenanceOf } from "./provenance.js";
import { triageNotes } from "./triage.js";
import type { UpdateMode } from "./update-mode.js";
import { earlierGoldenWrite, recordGoldenWrite } from "./written-goldens.js";

/** Where the golden is kept (keys of `toMatchGolden` options besides the comparator's). */
interface GoldenLocationOptions {
  /** Key this golden by the server's environment (overrides the project's `keyByEnvironment`). */
  readonly keyByEnvironment?: boolean;
  /** Use this environment key instead of the one the output carries. */
  readonly environmentKey?: string;
}

/**
 * Options of one `toMatchGolden` call: a comparator and its tolerances
 * (`{ comparator: "channel-delta", maxDelta: 2 }`, or options alone to refine the comparator the project
 * chose for this kind), plus where the golden is keyed.
 */
export type GoldenOptions = ComparatorOptions & GoldenLocationOptions;

/** Checks `toMatchGolden` options eagerly: shape and the location keys (comparator options once the kind is known). */
export function validateGoldenOptions(options: unknown): {
  location: GoldenLocationOptions;
  compare: ComparatorOptions | undefined;
} {
  if (options === undefined) return { location: {}, compare: undefined };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new GoldenOptionsError(
      "options",
      `golden options must be an object, got ${JSON.stringify(options)}`,
    );
  }
  const { keyByEnvironment, environmentKey, ...compare } = options as Record<string, unknown>;
  if (keyByEnvironment !== undefined && typeof keyByEnvironment !== "boolean") {
    throw new GoldenUsageError("`keyByEnvironment` option value must be a boolean");
  }
  if (
    environmentKey !== undefined &&
    (typeof environmentKey !== "string" || !/^[A-Za-z0-9_.+-]+$/.test(environmentKey))
  ) {
    throw new GoldenUsageError(
      "`environmentKey` option value must be a non-empty string of letters, digits and _ . + -",
    );
  }
  const location = {
    ...(keyByEnvironment !== undefined ? { keyByEnvironment } : {}),
    ...(typeof environmentKey === "string" ? { environmentKey } : {}),
  };
  return { location, compare: Object.keys(compare).length ? (compare as ComparatorOptions) : undefined };
}

/** Everything one golden assertion needs from its test and run. */
export interface MatchGoldenArgs {
  /**
   * The received value: output file bytes, an output of `comfy.run()` (`result.output(…)`,
   * `result.image(…)`: bytes plus provenance), or text (a string, or `result.textOutput(…)`).
   */
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

/** The received value as bytes, with what it says about itself. */
interface ReceivedOutput {
  readonly bytes: Uint8Array;
  readonly text: boolean;
  readonly filename: string | undefined;
  readonly outputKey: string | undefined;
  readonly provenance: OutputProvenance | undefined;
}

/** Output bytes (or text) out of whatever the test passed to `expect()`. */
export function receivedOutput(value: unknown): ReceivedOutput {
  const base = { filename: undefined, outputKey: undefined };
  if (typeof value === "string")
    return { ...base, bytes: Buffer.from(value, "utf8"), text: true, provenance: undefined };
  if (value instanceof Uint8Array)
    return { ...base, bytes: value, text: false, provenance: provenanceOf(value) };
  if (value instanceof ArrayBuffer)
    return { ...base, bytes: new Uint8Array(value), text: false, provenance: undefined };
  if (typeof value === "object" && value !== null) {
    const record = value as { bytes?: unknown; text?: unknown; filename?: unknown; key?: unknown };
    const provenance = provenanceOf(value);
    const outputKey = typeof record.key === "string" ? record.key : undefined;
    if (record.bytes instanceof Uint8Array) {
      return {
        bytes: record.bytes,
        text: false,
        filename: typeof record.filename === "string" ? record.filename : undefined,
        outputKey,
        provenance: provenance ?? provenanceOf(record.bytes),
      };
    }
    if (typeof record.text === "string") {
      return { ...base, outputKey, bytes: Buffer.from(record.text, "utf8"), text: true, provenance };
    }
  }
  const got =
    value === null
      ? "null"
      : typeof value === "object"
        ? `an object with keys ${Object.keys(value).join(", ")}`
        : typeof value;
  throw new GoldenUsageError(
    `toMatchGolden expects an output of comfy.run() (result.output(…)), file bytes (Uint8Array / Buffer) or text (a string), got ${got}`,
  );
}

// Decoded goldens, so a golden compared several times in one worker (calibrate, loops) decodes once.
const decodedGoldens = new Map<string, { bytes: Uint8Array; decoded: DecodedOutput }>();
const DECODED_CACHE_SIZE = 8;

function cachedGolden(path: string, bytes: Uint8Array): DecodedOutput | undefined {
  const hit = decodedGoldens.get(path);
  if (!hit || hit.bytes.byteLength !== bytes.byteLength) return undefined;
  return Buffer.from(hit.bytes).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    ? hit.decoded
    : undefined;
}

function rememberGolden(path: string, bytes: Uint8Array, decoded: DecodedOutput | undefined): void {
  if (!decoded) return;
  decodedGoldens.delete(path);
  decodedGoldens.set(path, { bytes, decoded });
  if (decodedGoldens.size > DECODED_CACHE_SIZE) decodedGoldens.delete(decodedGoldens.keys().next().value!);
}

/**
 * The golden file of `paths`, or of the same key with another extension (an output that changed
 * format), with its bytes. A directory where the golden should be is an error naming it.
 */
async function findGolden(
  paths: GoldenPaths,
  root: string,
): Promise<{ path: string; bytes: Uint8Array } | undefined> {
  const read = async (path: string) => {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    if (info.isDirectory()) {
      throw new GoldenUsageError(
        `golden ${displayPath(root, path)} is a directory, not a file: remove or rename it (goldens are files named <name>.<extension>)`,
      );
    }
    return { path, bytes: new Uint8Array(await readFile(path)) };
  };
  const exact = await read(paths.golden);
  if (exact) return exact;
  let names: string[];
  try {
    names = await readdir(paths.folder);
  } catch {
    return undefined;
  }
  const prefix = `${paths.key.split("/").pop()}.`;
  const dir = join(paths.folder, ...paths.key.split("/").slice(0, -1));
  const siblings = paths.key.includes("/") ? await readdir(dir).catch(() => []) : names;
  const other = siblings.find(
    (n) => n.startsWith(prefix) && !n.endsWith(".json") && !n.slice(prefix.length).includes("."),
  );
  return other ? read(join(dir, other)) : undefined;
}

function classify(received: ReceivedOutput, source: string): Classified {
  return received.text ? TEXT_CLASS : classifyOutput(received, source);
}

/** Builds the sidecar of an output about to be accepted. */
function buildSidecar(args: {
  paths: GoldenPaths;
  classified: Classified;
  testName: string;
  acceptedBy: string;
  decoded: DecodedOutput | undefined;
  choice: ResolvedChoice;
  provenance: OutputProvenance | undefined;
  environmentKey: string | undefined;
  replaced: Comparison | undefined;
}): GoldenSidecar {
  const p = args.provenance;
  const r = args.replaced;
  return {
    golden: `${args.paths.key.split("/").pop()}.${args.classified.extension}`,
    kind: args.classified.kind,
    format: args.classified.format,
    test: args.testName,
    acceptedBy: args.acceptedBy,
    facts: args.decoded ? Object.fromEntries(args.decoded.facts.map((f) => [f.name, f.value])) : undefined,
    decidedBy: { comparator: args.choice.comparator.name, options: { ...args.choice.options } },
    promptHash: p?.promptHash,
    seeds: p?.seeds,
    environmentKey: args.environmentKey,
    environment: p?.environment,
    outputNode: p?.nodeId ? { id: p.nodeId, classType: p.classType } : undefined,
    replaced: !r
      ? undefined
      : r.kind === "kind-mismatch"
        ? {
            reason: "kind",
            summary: `${r.expected.kind} (${r.expected.format}) → ${r.actual.kind} (${r.actual.format})`,
          }
        : r.kind === "facts-mismatch"
          ? {
              reason: "facts",
              summary: r.differences.map((d) => `${d.name} ${d.expected} → ${d.actual}`).join("; "),
            }
          : r.kind === "compared"
            ? {
                reason: "samples",
                summary: r.units
                  .filter((u) => !u.verdict.pass)
                  .map((u) => `${u.label ? `${u.label}: ` : ""}${u.verdict.summary}`)
                  .slice(0, 5)
                  .join("; "),
              }
            : undefined,
    prompt: p?.prompt,
  };
}

/**
 * One golden assertion, end to end: classify the output, locate and read the golden, resolve the
 * comparator (defaults, project, environment, test), compare (decoding as needed), decide
 * (`determineOutcome`, pure), perform the side effects, record the comparison for the HTML report, and
 * build the message — with what changed since the golden was accepted when it fails.
 */
export async function matchGolden(args: MatchGoldenArgs): Promise<MatchGoldenResult> {
  const started = performance.now();
  const { location, compare } = validateGoldenOptions(args.options);
  const received = receivedOutput(args.image);
  const { config } = args;
  const keyed = location.keyByEnvironment ?? config.keyByEnvironment;
  const environmentKey = location.environmentKey ?? received.provenance?.environmentKey;
  if (keyed && !environmentKey) {
    throw new GoldenUsageError(
      "this golden is keyed by environment (keyByEnvironment), but the output carries no environment key: compare outputs returned by the `comfy` fixture, or pass `environmentKey`",
    );
  }
  const name = args.name ?? defaultGoldenName(args.testName, args.callIndex);
  const actualSource = `actual output for golden "${name}"`;
  const actualClass = classify(received, actualSource);
  const choice = resolveTolerance({
    kind: actualClass.kind,
    format: actualClass.format,
    project: config.compare,
    environment: environmentKey ? config.environments[environmentKey] : undefined,
    environmentKey,
    test: compare,
  });
  const paths = goldenPaths({
    testFile: args.testFile,
    name,
    envKey: keyed ? environmentKey : undefined,
    extension: actualClass.extension,
    resultsDir: config.resultsDir,
    root: config.root,
    testName: args.testName,
  });
  const found = await findGolden(paths, config.root);
  let golden: (SideFile & { source: string }) | undefined;
  if (found) {
    const source = displayPath(config.root, found.path);
    const goldenClass =
      actualClass.kind === "text" && found.path.endsWith(".txt")
        ? TEXT_CLASS
        : classifyOutput({ bytes: found.bytes }, `golden ${source}`);
    golden = { bytes: found.bytes, classified: goldenClass, path: found.path, source };
  }
  let comparison: Comparison | undefined;
  let decodedActual: DecodedOutput | undefined;
  if (golden) {
    comparison = await compareOutputs(
      {
        bytes: golden.bytes,
        source: golden.source,
        classified: golden.classified,
        decoded: cachedGolden(golden.path!, golden.bytes),
      },
      { bytes: received.bytes, source: actualSource, classified: actualClass },
      choice,
    );
    rememberGolden(golden.path!, golden.bytes, decodedSides(comparison).expected);
  } else {
    // Never accept (or report as missing) something that does not decode.
    decodedActual = await decodeOutput(received.bytes, actualClass, actualSource);
  }
  const contentHash = createHash("sha256").update(received.bytes).digest("hex");
  const wouldWrite = args.updateMode !== "none" && !args.ci;
  const writtenBy = wouldWrite
    ? await earlierGoldenWrite(config.resultsDir, paths.golden, args.testName, contentHash)
    : undefined;
  const outcome = determineOutcome({
    comparison,
    actual: actualClass,
    updateMode: args.updateMode,
    ci: args.ci,
    writtenInThisRunBy: writtenBy,
  });
  const sides = comparison ? decodedSides(comparison) : { actual: decodedActual };
  const artifacts = await performSideEffects(outcome, {
    paths,
    actual: { bytes: received.bytes, classified: actualClass },
    golden,
    sidecar: buildSidecar({
      paths,
      classified: actualClass,
      testName: args.testName,
      acceptedBy: args.updateMode === "all" ? "vitest -u" : `update mode ${args.updateMode}`,
      decoded: sides.actual,
      choice,
      provenance: received.provenance,
      environmentKey,
      replaced: outcome.kind === "golden-updated" ? outcome.comparison : undefined,
    }),
    decoded: sides,
    keepPassing: config.report === "all",
  });
  if (artifacts.golden) await recordGoldenWrite(config.resultsDir, paths.golden, args.testName, contentHash);
  const pass = isPassing(outcome);
  const notes = pass ? [] : await triageNotes(paths.sidecar, received.provenance, environmentKey);
  const shown = (path: string | undefined) => (path ? displayPath(config.root, path) : undefined);
  const message = goldenMessage(
    name,
    outcome,
    {
      golden: displayPath(config.root, golden?.path ?? paths.golden),
      artifacts: Object.fromEntries(Object.entries(artifacts).map(([k, v]) => [k, shown(v)])),
    },
    notes,
  );
  const inResults = (path: string | undefined) => (path ? displayPath(config.resultsDir, path) : undefined);
  const metrics = comparison?.kind === "compared" ? worstMetrics(comparison) : undefined;
  const facts = sides.actual?.facts ?? sides.expected?.facts;
  await writeComparisonRecord(config.resultsDir, {
    testFile: displayPath(config.root, args.testFile),
    testName: args.testName,
    key: paths.key,
    kind: actualClass.kind,
    format: actualClass.format,
    outcome: outcome.kind,
    pass,
    message,
    golden: displayPath(config.root, golden?.path ?? paths.golden),
    environmentKey,
    comparator: describeChoice(choice),
    facts: facts ? Object.fromEntries(facts.map((f) => [f.name, f.value])) : undefined,
    metrics,
    summary:
      comparison?.kind === "compared"
        ? summaryOf(comparison)
        : comparison?.kind === "identical"
          ? `identical (${comparison.via})`
          : undefined,
    files: {
      expected: inResults(artifacts.expected),
      actual: inResults(artifacts.actual),
      expectedPicture: inResults(artifacts.expectedPicture),
      actualPicture: inResults(artifacts.actualPicture),
      diff: inResults(artifacts.diff),
    },
    durationMs: Math.round((performance.now() - started) * 10) / 10,
    runId: currentRunId(),
  });
  if (!process.env.COMFY_TS_GOLDEN_REPORTER)
    await writeHtmlReport(config.resultsDir, { runId: currentRunId() });
  return { pass, message, outcome, paths, artifacts, name };
}

/** The metrics of the worst unit (the first failing one, else the first), for records. */
function worstMetrics(
  comparison: Extract<Comparison, { kind: "compared" }>,
): Readonly<Record<string, number>> {
  const unit = comparison.units.find((u) => !u.verdict.pass) ?? comparison.units[0];
  return unit?.verdict.metrics ?? {};
}

function summaryOf(comparison: Extract<Comparison, { kind: "compared" }>): string {
  const failing = comparison.units.filter((u) => !u.verdict.pass);
  const unit = failing[0] ?? comparison.units[0];
  if (!unit) return "";
  const count = comparison.units.length > 1 ? `${failing.length} of ${comparison.units.length} differ; ` : "";
  return `${count}${unit.label ? `${unit.label}: ` : ""}${unit.verdict.summary}`;
}
