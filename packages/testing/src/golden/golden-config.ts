import { resolve } from "node:path";
import { type CompareOptionsInput, validateCompareOptions } from "../compare/compare-options.js";
import { GoldenOptionsError } from "../errors.js";

/** Project-wide golden settings, set once per project with `configureGoldens()` (e.g. in a setup file). */
export interface GoldenConfig {
  /** Comparison overrides for every golden of the project; a test's own options win. */
  readonly compare: CompareOptionsInput;
  /**
   * Key goldens by the server's environment (`<name>-<envKey>.png`), for pipelines whose pixels depend
   * on GPU, torch and ComfyUI versions. Default false: one golden for every server.
   */
  readonly keyByEnvironment: boolean;
  /** Where failure artifacts, comparison records and `index.html` go. Default `<root>/__results__`, or `COMFY_TS_RESULTS_DIR`. */
  readonly resultsDir: string;
  /** Paths in reports and results are relative to this. Default: the working directory (vitest's root). */
  readonly root: string;
  /** Which comparisons keep images in the results folder for the HTML report: `all` or `failures`. Default `all`. */
  readonly report: "all" | "failures";
}

export type GoldenConfigInput = Partial<Omit<GoldenConfig, "compare">> & {
  readonly compare?: CompareOptionsInput;
};

let current: GoldenConfigInput = {};

function defaults(env: NodeJS.ProcessEnv = process.env): GoldenConfig {
  const root = process.cwd();
  return {
    compare: {},
    keyByEnvironment: false,
    root,
    resultsDir: env.COMFY_TS_RESULTS_DIR
      ? resolve(root, env.COMFY_TS_RESULTS_DIR)
      : resolve(root, "__results__"),
    report: "all",
  };
}

const KEYS = ["compare", "keyByEnvironment", "resultsDir", "root", "report"];

/** Checks a configuration eagerly: unknown keys, wrong types, bad comparison options. */
export function validateGoldenConfig(input: GoldenConfigInput): GoldenConfigInput {
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) {
      throw new GoldenOptionsError(
        key,
        `unknown golden config key \`${key}\` (known keys: ${KEYS.join(", ")})`,
      );
    }
  }
  validateCompareOptions(input.compare);
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
 * merge over earlier ones; `compare` options merge key by key.
 *
 * @example
 * // vitest.setup.ts
 * configureGoldens({ compare: { maxDiffPixelRatio: 0.001 }, keyByEnvironment: true });
 */
export function configureGoldens(config: GoldenConfigInput): void {
  validateGoldenConfig(config);
  current = { ...current, ...config, compare: { ...current.compare, ...config.compare } };
}

/** The settings in effect: defaults, then `configureGoldens()`. */
export function goldenConfig(env: NodeJS.ProcessEnv = process.env): GoldenConfig {
  const base = defaults(env);
  const root = current.root ? resolve(current.root) : base.root;
  return {
    ...base,
    ...current,
    root,
    resultsDir: current.resultsDir ? resolve(root, current.resultsDir) : base.resultsDir,
    compare: { ...current.compare },
  } as GoldenConfig;
}

/** Drops everything `configureGoldens()` set (for tests of this package). */
export function resetGoldenConfig(): void {
  current = {};
}
