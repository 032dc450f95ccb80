import { relative } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";

/** Where a skip's reason is written: `ctx.skip(reason)`, or the test's or a suite's name. */
const REASON_IN_NAME = /\[skipped: [^\]]+\]|\bneeds \S|not run here: \S/;

/**
 * Lists every skipped test at the end of a run with the reason it was skipped — the note of
 * `ctx.skip(reason)`, or the `[skipped: …]` its (or its suite's) name carries — grouped by file, so a
 * run on a fresh clone says what did not run and why (vitest's default reporter shows a skipped file
 * as a count). Skips that give no reason are listed apart, to be fixed.
 */
export class SkipReasonsReporter implements Reporter {
  #root = process.cwd();

  onInit(vitest: { config: { root: string } }): void {
    this.#root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    type FileSkips = { reasons: Map<string, number>; unexplained: string[] };
    const byFile = new Map<string, FileSkips>();
    let total = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        if (test.result().state !== "skipped") continue;
        total += 1;
        const file = relative(this.#root, module.moduleId);
        const entry: FileSkips = byFile.get(file) ?? { reasons: new Map(), unexplained: [] };
        byFile.set(file, entry);
        const reason = reasonOf(test);
        if (reason === undefined) entry.unexplained.push(test.fullName);
        else entry.reasons.set(reason, (entry.reasons.get(reason) ?? 0) + 1);
      }
    }
    if (total === 0) return;
    const lines = [`\n${total} skipped test${total === 1 ? "" : "s"}, and why:`];
    const unexplained: string[] = [];
    for (const [file, { reasons, unexplained: bare }] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const [reason, count] of reasons)
        lines.push(`  ${file}: ${count > 1 ? `${count}× ` : ""}${reason}`);
      for (const name of bare) unexplained.push(`  ${file}: ${name}`);
    }
    if (unexplained.length > 0) {
      lines.push(
        `${unexplained.length} skipped without a reason (say why: ctx.skip(reason), or "[skipped: why]" in the name):`,
        ...unexplained,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}

function reasonOf(test: TestCase): string | undefined {
  const result = test.result();
  if (result.state === "skipped" && result.note) return result.note;
  const names: string[] = [test.name];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) names.push(parent.name);
  for (const name of names) {
    const match = REASON_IN_NAME.exec(name);
    if (match) return name.slice(match.index).replace(/^\[skipped: (.*)\]$/, "$1");
  }
  return undefined;
}
