import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@comfy-ts/test-support";
import ts from "typescript";

/** A scratch folder inside the package (so `@comfy-ts/core` resolves); `.comfy-ts/` is ignored by git. */
export function scratchDir(name: string): string {
  const dir = join(repoRoot, "packages/codegen/.comfy-ts/codegen-test", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeFiles(dir: string, files: ReadonlyMap<string, string> | Record<string, string>): void {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [name, text] of entries) writeFileSync(join(dir, name), text);
}

/**
 * Type-checks files with `strict` (as `tsc --noEmit` would) and returns the diagnostics as text.
 * Generated declarations are checked as `.ts` copies, since `skipLibCheck` skips `.d.ts` files.
 */
export function typeCheck(rootNames: readonly string[]): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2023.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ["@comfy-ts/source"],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [join(repoRoot, "node_modules/@types")],
  };
  const program = ts.createProgram([...rootNames], options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
      : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

/** The syntax errors of TypeScript files (no program, no types: milliseconds per file). */
export function syntaxCheck(files: readonly string[]): string[] {
  return files.flatMap((file) => {
    const { diagnostics = [] } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    return diagnostics.map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  });
}
