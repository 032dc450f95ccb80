import { resolve } from "node:path";
import type { Comparator } from "../compare/comparator.js";
import { registerComparators, resetRegisteredComparators } from "../compare/comparator-choice.js";
import { type ToleranceTable, validateToleranceTable } from "../compare/tolerances.js";
import { GoldenOptionsError } from "../errors.js";

/** Project-wide golden settings, set once per project with `configureGoldens()` (e.g. in a setup file). */
export interface GoldenConfig {
  /** Comparator and tolerances per output kind (or format) for every environment; a test's own options win. */
  readonly compare: ToleranceTable;
  /**
   * Per environment key (`nvidia-h100_torch2.5.1-cu124_comfy0.3.65`): the tolerances measured there,
   * over `compare`. `comfy-ts calibrate` writes this part.
   */
  readonly environments: Readonly<Record<string, ToleranceTable>>;
  /**
   * Key goldens by the server's environment (`<name>-<envKey>.png`), for pipelines whose outputs depend
   * on GPU, torch and ComfyUI versions. Default false: one golden for every server.
   */
  readonly keyByEnvironment: boolean;
  /** Where failure artifacts, comparison records and `index.html` go. Default `<root>/__results__`, or `COMFY_TS_RESULTS_DIR`. */
  readonly resultsDir: string;
  /** Paths in reports and results are relative to this. Default: the working directory (vitest's root). */
  readonly root: string;
  /** Which comparisons keep files in the results folder for the HTML report: `all` or `failures`. Default `all`. */
  readonly report: "all" | "failures";
}

export type GoldenConfigInput = Partial<Omit<GoldenConfig, "compare" | "environments">> & {
  readonly compare?: ToleranceTable;
  readonly environments?: Readonly<Record<string, ToleranceTable>>;
  /** Your own comparators (made with `defineComparator`), usable by name from then on. */
  readonly comparators?: readonly Comparator[];
};

let current: Omit<GoldenConfigInput, "comparators"> = {};

function defaults(env: NodeJS.ProcessEnv = process.env): GoldenConfig {
  const root = process.cwd();
  return {
    compare: {},
    environments: {},
    keyByEnvironment: false,
    root,
    resultsDir: env.COMFY_TS_RESULTS_DIR
      ? resolve(root, env.COMFY_TS_RESULTS_DIR)
      : resolve(root, "__results__"),
    report: "all",
  };
}

const KEYS = ["compare", "environments", "comparators", "keyByEnvironment", "resultsDir", "root", "report"];

/** Checks a configuration eagerly: unknown keys, wrong types, unknown comparators and bad options. */
export function validateGoldenConfig(input: GoldenConfigInput): GoldenConfigInput {
  if (typeof input !== "object" || input === null) {
    throw new GoldenOptionsError("config", `configureGoldens takes an object, got ${JSON.stringify(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) {
      throw new GoldenOptionsError(
        key,
        `unknown golden config key \`${key}\` (known keys: ${KEYS.join(", ")})`,
      );
    }
  }
  if (input.comparators !== undefined && !Array.isArray(input.comparators)) {
    throw new GoldenOptionsError(
      "comparators",
      "`comparators` must be an array of defineComparator(…) values",
    );
  }
  validateToleranceTable(input.compare, "compare");
  if (input.environments !== undefined) {
    if (typeof input.environments !== "object" || input.environments === null) {
      throw new GoldenOptionsError("environments", "`environments` must be an object by environment key");
    }
    for (const [key, table] of Object.entries(input.environments)) {
      validateToleranceTable(table, `environments["${key}"]`);
    }
  }
  if (input.keyByEnvironment !== undefined && typeof input.keyByEnvironment !== "boolean") {
    throw new GoldenOptionsError("keyByEnvironment", "`keyByEnvironment` must be a boolean");
  }
  if (input.report !== undefined && input.report !== "all" && input.report !== "failures") {
    throw new GoldenOptionsError(
      "report",
      `\`report\` must be "all" or "failures", got ${JSON.stringify(input.report)}`,
    );
  }
  for (const key of ["resultsDir", "root"] as const) {
    if (input[key] !== undefined && (typeof input[key] !== "string" || input[key] === "")) {
      throw new GoldenOptionsError(key, `\`${key}\` must be a non-empty path`);
    }
  }
  return input;
}

/**
 * Sets the project's golden settings for this worker (call it from a vitest setup file). Later calls
 * merge over earlier ones; `compare` and each environment's table merge key by key. Comparators are
 * registered first, so the tables may name them.
 *
 * @example
 * // vitest.setup.ts
 * configureGoldens({
 *   compare: { video: { comparator: "psnr", minDb: 45 } },
 *   environments: { "nvidia-h100_torch2.5.1-cu124_comfy0.3.65": { image: { comparator: "channel-delta", maxDelta: 2 } } },
 *   keyByEnvironment: true,
 * });
 */
export function configureGoldens(config: GoldenConfigInput): void {
  if (config?.comparators) registerComparators(config.comparators);
  validateGoldenConfig(config);
  const { comparators: _registered, ...rest } = config;
  const environments: Record<string, ToleranceTable> = { ...current.environments };
  for (const [key, table] of Object.entries(rest.environments ?? {})) {
    environments[key] = { ...environments[key], ...table };
  }
  current = { ...current, ...rest, compare: { ...current.compare, ...rest.compare }, environments };
}

/** The settings in effect: defaults, then `configureGoldens()`. */
export function goldenConfig(env: NodeJS.ProcessEnv = process.env): GoldenConfig {
  const base = defaults(env);
  const root = current.root ? resolve(current.root) : base.root;
  return {
    compare: { ...current.compare },
    environments: { ...current.environments },
    keyByEnvironment: current.keyByEnvironment ?? base.keyByEnvironment,
    root,
    resultsDir: current.resultsDir ? resolve(root, current.resultsDir) : base.resultsDir,
    report: current.report ?? base.report,
  };
}

/** Drops everything `configureGoldens()` set, registered comparators included (for tests of this package). */
export function resetGoldenConfig(): void {
  current = {};
  resetRegisteredComparators();
}
