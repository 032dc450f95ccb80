import { join } from "node:path";
import { repoRoot } from "@comfy-ts/test-support";
import ts from "typescript";
import { expect, test } from "vitest";

// The wrong-link error must read as a sentence in the editor, not only fail: compile a snippet with the
// TypeScript compiler and read the message a user would see.
test("a LATENT output wired into a MODEL input explains itself", () => {
  const file = join(repoRoot, "packages/core/test/graph/__wrong-link__.ts");
  const source = `
import { defineNode, type Link } from "@comfy-ts/core";
const EmptyLatentImage = defineNode<{ width?: number }>()({ classType: "EmptyLatentImage", outputs: [["LATENT", "LATENT"]] });
const KSampler = defineNode<{ model: Link<"MODEL"> }>()({ classType: "KSampler", outputs: [["LATENT", "LATENT"]] });
KSampler({ model: EmptyLatentImage({}) });
`;
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )!;
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile;
  host.readFile = (name) => (name === file ? source : readFile(name));
  const fileExists = host.fileExists;
  host.fileExists = (name) => name === file || fileExists(name);
  // Only this file's diagnostics, without @types/node: checking every source of the program (and
  // loading Node's types) tripled the time of this test.
  const program = ts.createProgram([file], { ...config.options, noEmit: true, types: [] }, host);
  const messages = ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .filter((d) => d.file?.fileName === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  expect(messages).toHaveLength(1);
  expect(messages[0]).toContain(
    `Type '"output of type LATENT"' is not assignable to type '"output of type MODEL"'`,
  );
}, 60_000);
