/**
 * `@comfy-ts/testing/harness`: running graphs on ComfyUI servers outside vitest — the harness and its
 * pool, connecting to servers (or the embedded local server), seeds and reproducibility lint, and
 * `calibrate`. For scripts and the CLI.
 */
export {
  type CalibrationOptions,
  type CalibrationReport,
  calibrate,
  type OutputSpread,
} from "./calibrate/calibrate.js";
export {
  type Annotate,
  ComfyHarness,
  type ComfyRunOptions,
  type HarnessOptions,
} from "./fixtures/comfy-harness.js";
export {
  type ConnectedServer,
  connectServer,
  type ServerClientOptions,
} from "./fixtures/connect-server.js";
export { type ComfyTestOptions, openComfyHarness } from "./fixtures/open-harness.js";
export {
  type LintOptions,
  lintReproducibility,
  type ReproducibilityIssue,
} from "./lint/reproducibility-lint.js";
export { isInfrastructureError } from "./pool/infrastructure-error.js";
export {
  type PoolAttempt,
  type PoolOptions,
  type PoolServer,
  type RequiredComboValue,
  ServerPool,
  type ServerRequirements,
} from "./pool/server-pool.js";
export { type PinnedSeeds, pinSeeds, type SeedSpec, type SeedValue } from "./seeds/pin-seeds.js";
export { findSeedInputs, type RawObjectInfo, type SeedInput } from "./seeds/seed-inputs.js";
