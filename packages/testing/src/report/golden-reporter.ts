import { rm } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { listUnusedGoldens } from "../golden/unused-goldens.js";
import { readComparisonRecords } from "./comparison-record.js";
import { writeHtmlReport } from "./html-report.js";

export interface GoldenReporterOptions {
  /** The results folder the tests write to (the same as `configureGoldens({ resultsDir })`). Default `<root>/__results__`. */
  readonly resultsDir?: string;
  /** Default: vitest's root (the working directory). */
  readonly root?: string;
  /** List goldens no test used (only meaningful for whole, unsharded runs). Default true. */
  readonly listUnused?: boolean;
  /** Where to write the summary. Default: vitest's logger. */
  readonly log?: (line: string) => void;
}

interface VitestLike {
  readonly config: { readonly root: string; readonly shard?: unknown };
  readonly logger: { log(message: string): void };
}

/**
 * A vitest reporter for golden runs: empties the results folder when the run starts, writes the
 * one-page HTML report of every comparison when it ends (tests then skip rewriting it after each
 * comparison), and lists goldens no test used.
 *
 * @example
 * // vitest.config.ts
 * import { GoldenReporter } from "@comfy-ts/testing/node";
 * export default defineConfig({ test: { reporters: ["default", new GoldenReporter()] } });
 */
export class GoldenReporter {
  readonly #options: GoldenReporterOptions;
  #root = process.cwd();
  #resultsDir = "";
  #log: (line: string) => void = () => {};
  #sharded = false;

  constructor(options: GoldenReporterOptions = {}) {
    this.#options = options;
  }

  async onInit(vitest: VitestLike): Promise<void> {
    this.#root = resolve(this.#options.root ?? vitest.config.root);
    // `||`: an empty COMFY_TS_RESULTS_DIR means the default, as in `goldenConfig()`, not the root itself.
    const dir = this.#options.resultsDir || process.env.COMFY_TS_RESULTS_DIR || "__results__";
    this.#resultsDir = isAbsolute(dir) ? dir : resolve(this.#root, dir);
    this.#log = this.#options.log ?? ((line) => vitest.logger.log(line));
    this.#sharded = vitest.config.shard !== undefined;
    // Workers inherit this: they leave the report to us.
    process.env.COMFY_TS_GOLDEN_REPORTER = "1";
    // Emptied only when strictly inside the root: never the root (the project) itself, never outside it.
    const inside = relative(this.#root, this.#resultsDir);
    if (inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)) {
      await rm(this.#resultsDir, { recursive: true, force: true });
    }
  }

  async onTestRunEnd(): Promise<void> {
    const records = await readComparisonRecords(this.#resultsDir);
    if (records.length === 0) return;
    const report = await writeHtmlReport(this.#resultsDir);
    const failed = records.filter((r) => !r.pass).length;
    this.#log(
      `golden comparisons: ${records.length - failed} passed, ${failed} failed — report: ${relative(this.#root, report) || report}`,
    );
    if (this.#options.listUnused !== false && !this.#sharded) {
      const unused = await listUnusedGoldens(this.#root, records);
      if (unused.length > 0) {
        this.#log(`goldens no test used in this run (${unused.length}; stale if this was a full run):`);
        for (const golden of unused) this.#log(`  ${golden}`);
      }
    }
  }
}
