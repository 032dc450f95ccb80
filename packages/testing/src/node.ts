/**
 * `@comfy-ts/testing/node`: everything that works without a running vitest and without a server —
 * decoding and comparing outputs, golden outcomes and files, the HTML report, seeds and lint. Light to
 * load (media codecs and servers load only when used); running graphs on servers is
 * `@comfy-ts/testing/harness`. Test files import `@comfy-ts/testing`.
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
  CachedResultError,
  ComfyTestingError,
  GoldenNameError,
  GoldenOptionsError,
  GoldenUsageError,
  MissingComboValueError,
  type MissingNodeClass,
  MissingNodeClassError,
  NoServerError,
  ReproducibilityError,
  RunTimeoutError,
  type RunTiming,
  ServerUnreachableError,
  UnrecognizedOutputError,
} from "./errors.js";
export type {
  ComfyRunResult,
  OutputFileWithBytes,
  OutputImage,
  OutputTextValue,
} from "./fixtures/comfy-run-result.js";
export { parseServerUrls } from "./fixtures/server-urls.js";
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
export { decodeOutput } from "./outputs/decode-output.js";
export type { DecodedOutput, Fact, FactDifference } from "./outputs/decoded-output.js";
export {
  type Classified,
  classifyOutput,
  type GoldenFormat,
  type GoldenKind,
} from "./outputs/output-kind.js";
export { type ComparisonRecord, readComparisonRecords } from "./report/comparison-record.js";
export { GoldenReporter, type GoldenReporterOptions } from "./report/golden-reporter.js";
export { renderHtmlReport, writeHtmlReport } from "./report/html-report.js";
