/**
 * `@comfy-ts/testing/node`: everything that works without a running vitest — PNG decoding and
 * comparison, golden outcomes and files, the HTML report, the server pool and harness, seeds and lint.
 * For reporters, scripts and the CLI. Test files import `@comfy-ts/testing`.
 */

export {
  type DecodedPng,
  decodePng,
  type EncodePngOptions,
  encodePng,
  PNG_SIGNATURE,
  PngDecodeError,
  type PngPixels,
  type RgbaImage,
} from "@comfy-ts/core/png";
export { type RenderedArtifacts, renderArtifacts } from "./artifacts/render-artifacts.js";
export { unifiedDiff } from "./artifacts/text-diff.js";
export {
  type CalibrationOptions,
  type CalibrationReport,
  calibrate,
  type OutputSpread,
} from "./calibrate/calibrate.js";
export {
  type BooleanOption,
  type Comparator,
  defineComparator,
  type NumberOption,
  type OptionSchema,
  type OptionSpec,
  type OptionsOf,
  type UnitVerdict,
} from "./compare/comparator.js";
export {
  type ComparatorChoice,
  type ComparatorOptions,
  comparatorNamed,
  comparatorNames,
  describeChoice,
  type GoldenComparators,
  type ResolvedChoice,
  resolveChoice,
} from "./compare/comparator-choice.js";
export { BUILT_IN_COMPARATORS } from "./compare/comparators/index.js";
export { allowedDiffPixels } from "./compare/comparators/pixelmatch.js";
export {
  type Comparison,
  compareOutputs,
  type OutputInput,
  type UnitResult,
} from "./compare/compare-outputs.js";
export type {
  RasterSamples,
  Samples,
  SampleType,
  SignalSamples,
  TensorSamples,
  TextSamples,
  Unit,
} from "./compare/samples.js";
export { DEFAULT_TOLERANCES, resolveTolerance, type ToleranceTable } from "./compare/tolerances.js";
export {
  ComfyTestingError,
  GoldenNameError,
  GoldenOptionsError,
  GoldenUsageError,
  MissingComboValueError,
  type MissingNodeClass,
  MissingNodeClassError,
  NoServerError,
  ServerUnreachableError,
  UnrecognizedOutputError,
} from "./errors.js";
export {
  type Annotate,
  CachedResultError,
  ComfyHarness,
  type ComfyRunOptions,
  type HarnessOptions,
  ReproducibilityError,
} from "./fixtures/comfy-harness.js";
export type {
  ComfyRunResult,
  OutputFileWithBytes,
  OutputImage,
  OutputTextValue,
} from "./fixtures/comfy-run-result.js";
export {
  type ConnectedServer,
  connectServer,
  parseServerUrls,
  type ServerClientOptions,
} from "./fixtures/connect-server.js";
export { type ComfyTestOptions, openComfyHarness } from "./fixtures/open-harness.js";
export { writeFileAtomic } from "./golden/atomic-write.js";
export {
  type EnvironmentInfo,
  environmentInfo,
  environmentKey,
  type SystemStatsLike,
} from "./golden/environment-key.js";
export {
  configureGoldens,
  type GoldenConfig,
  type GoldenConfigInput,
  goldenConfig,
  resetGoldenConfig,
} from "./golden/golden-config.js";
export { defaultGoldenName, validateGoldenName } from "./golden/golden-name.js";
export { artifactPath, GOLDENS_DIR_NAME, type GoldenPaths, goldenPaths } from "./golden/golden-paths.js";
export {
  type GoldenOptions,
  type MatchGoldenArgs,
  type MatchGoldenResult,
  matchGolden,
} from "./golden/match-golden.js";
export {
  determineOutcome,
  isPassing,
  type MatchOutcome,
  type MatchOutcomeKind,
  type OutcomeInput,
} from "./golden/match-outcome.js";
export {
  type GoldenSidecar,
  performSideEffects,
  type WrittenArtifacts,
} from "./golden/perform-side-effects.js";
export {
  attachProvenance,
  type ImageProvenance,
  type OutputProvenance,
  provenanceOf,
} from "./golden/provenance.js";
export { promptChanges } from "./golden/triage.js";
export { listGoldens, listUnusedGoldens } from "./golden/unused-goldens.js";
export { isCi, resolveUpdateMode, type UpdateMode } from "./golden/update-mode.js";
export {
  type LintOptions,
  lintReproducibility,
  type ReproducibilityIssue,
} from "./lint/reproducibility-lint.js";
export { decodeOutput } from "./outputs/decode-output.js";
export type { DecodedOutput, Fact, FactDifference } from "./outputs/decoded-output.js";
export {
  type Classified,
  classifyOutput,
  type GoldenFormat,
  type GoldenKind,
} from "./outputs/output-kind.js";
export { isInfrastructureError } from "./pool/infrastructure-error.js";
export {
  type PoolAttempt,
  type PoolOptions,
  type PoolServer,
  type RequiredComboValue,
  ServerPool,
  type ServerRequirements,
} from "./pool/server-pool.js";
export { type ComparisonRecord, readComparisonRecords } from "./report/comparison-record.js";
export { GoldenReporter, type GoldenReporterOptions } from "./report/golden-reporter.js";
export { renderHtmlReport, writeHtmlReport } from "./report/html-report.js";
export { type PinnedSeeds, pinSeeds, type SeedSpec, type SeedValue } from "./seeds/pin-seeds.js";
export { findSeedInputs, type RawObjectInfo, type SeedInput } from "./seeds/seed-inputs.js";
