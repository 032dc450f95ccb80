import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  CodegenError,
  catalogDiffJson,
  diffCatalogs,
  formatCatalogDiff,
  generate,
  type LoadedCatalog,
  loadCatalog,
  readPreviousManifest,
  writeGenerated,
} from "@comfy-ts/codegen";
import type { NodeCatalog } from "@comfy-ts/core/catalog";
import { loadCommandCatalog } from "../../catalog/command-catalog.js";
import { colorDiffLine, colorsFor } from "../../colors.js";
import { type CommandIO, ExitCode } from "../../command.js";
import type { CodegenPlan } from "./codegen-arguments.js";

/**
 * One pass of `comfy-ts codegen`: read the catalog (unless `loaded` is given), print what changed
 * (`--diff-from`, `--diff`), then generate and write, or check (`--check`). Resolves to the exit code.
 */
export async function generateOnce(
  plan: CodegenPlan,
  io: CommandIO,
  loaded?: LoadedCatalog,
): Promise<number> {
  const log = (line: string) => {
    if (!plan.quiet) io.stderr.write(`${line}\n`);
  };
  const started = performance.now();
  const current = loaded ?? (await loadCommandCatalog(plan.source, io.signal));
  const { catalog } = current;
  log(
    `codegen: read ${count(catalog.nodes.size)} node classes${catalog.problems.length > 0 ? ` (${catalog.problems.length} unreadable, skipped)` : ""} in ${Math.round(performance.now() - started)} ms`,
  );
  for (const problem of catalog.problems) {
    log(`  skipped ${problem.classType}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`);
  }

  const before = await previousCatalog(plan);
  if (before) {
    const diff = diffCatalogs(before, catalog);
    io.stdout.write(plan.json ? catalogDiffJson(diff) : formatCatalogDiff(diff));
  }
  if (!plan.out) return ExitCode.ok;

  const version = current.comfyuiVersion ?? plan.generate.comfyuiVersion;
  const { files, manifest } = generate(catalog, {
    ...plan.generate,
    catalogText: current.text,
    ...(version ? { comfyuiVersion: version } : {}),
  });
  const report = await writeGenerated(plan.out, files, { check: plan.check });
  if (plan.check) {
    if (report.diffs.length === 0) {
      log(`codegen: ${plan.outArg} is current (${count(manifest.nodeCount)} factories)`);
      return ExitCode.ok;
    }
    const colors = colorsFor(io.stdout, io.env);
    for (const { diff } of report.diffs)
      io.stdout.write(
        diff
          .split("\n")
          .map((line) => colorDiffLine(colors, line))
          .join("\n"),
      );
    io.stderr.write(
      `codegen: ${plan.outArg} is stale: ${report.diffs.map((d) => d.path).join(", ")} differ from what the catalog gives.\n` +
        `Regenerate with: ${plan.generate.regenerateCommand}\n`,
    );
    return ExitCode.failed;
  }
  if (plan.saveCatalog) {
    await mkdir(dirname(plan.saveCatalog), { recursive: true });
    await writeFile(plan.saveCatalog, current.text);
  }
  log(
    `codegen: ${count(manifest.nodeCount)} factories → ${plan.outArg} (${report.written.length} written, ${report.unchanged.length} unchanged${report.removed.length > 0 ? `, ${report.removed.length} removed` : ""}) in ${Math.round(performance.now() - started)} ms`,
  );
  return ExitCode.ok;
}

/** The catalog to report changes from: `--diff-from FILE`, or with `--diff` the one the last run saved. */
async function previousCatalog(plan: CodegenPlan): Promise<NodeCatalog | undefined> {
  if (plan.diffFrom) return (await loadCatalog({ kind: "file", path: plan.diffFrom })).catalog;
  if (!plan.diffPrevious || !plan.out) return undefined;
  const manifest = await readPreviousManifest(plan.out);
  if (!manifest?.catalog) {
    throw new CodegenError(
      "read_failed",
      `--diff: ${plan.outArg} has no manifest with a saved catalog; run once with --save-catalog FILE first`,
    );
  }
  return (await loadCatalog({ kind: "file", path: resolve(plan.out, manifest.catalog) })).catalog;
}

/** `2,068`: thousands separators without loading Intl (it costs a CLI run ~20 ms). */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
