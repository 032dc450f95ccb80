import {
  CodegenError,
  catalogDiffJson,
  diffCatalogs,
  formatCatalogDiff,
  isEmptyDiff,
  type LoadedCatalog,
} from "@comfy-ts/codegen";
import { loadCommandCatalog } from "../../catalog/command-catalog.js";
import { type CommandIO, ExitCode } from "../../command.js";
import type { CodegenPlan } from "./codegen-arguments.js";
import { generateOnce } from "./generate-once.js";

/**
 * `comfy-ts codegen --watch`: generate once, then poll the server every `--interval` and, when its
 * catalog changes, print what changed and generate again. A failed poll is reported and retried;
 * Ctrl-C (the command's signal) ends it with exit code 130.
 */
export async function watchCatalog(plan: CodegenPlan, io: CommandIO): Promise<number> {
  let last: LoadedCatalog = await loadCommandCatalog(plan.source, io.signal);
  const code = await generateOnce(plan, io, last);
  if (code !== ExitCode.ok) return code;
  io.stderr.write(
    `codegen: watching ${plan.sourceArg.replace(/^--url /, "")} every ${plan.intervalMs / 1000} s (Ctrl-C stops)\n`,
  );
  const once = { ...plan, diffFrom: undefined, diffPrevious: false };
  while (!io.signal.aborted) {
    await pause(plan.intervalMs, io.signal);
    if (io.signal.aborted) break;
    let next: LoadedCatalog;
    try {
      next = await loadCommandCatalog(plan.source, io.signal);
    } catch (error) {
      if (io.signal.aborted) break;
      if (error instanceof CodegenError) {
        io.stderr.write(`codegen: ${error.message} (still watching)\n`);
        continue;
      }
      throw error;
    }
    if (next.text === last.text) continue;
    const diff = diffCatalogs(last.catalog, next.catalog);
    last = next;
    if (isEmptyDiff(diff)) continue;
    io.stdout.write(plan.json ? catalogDiffJson(diff) : formatCatalogDiff(diff));
    await generateOnce(once, io, next);
  }
  return ExitCode.interrupted;
}

/** Waits `ms`, or until `signal` aborts (its listener is removed either way). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const onAbort = () => {
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      done();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
