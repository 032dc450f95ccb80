import { existsSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { CodegenError } from "@comfy-ts/codegen";
import { parseCommandArgs } from "../../args/parse-command-args.js";
import { loadCommandCatalog } from "../../catalog/command-catalog.js";
import { type Command, type CommandIO, ExitCode } from "../../command.js";
import { displayPath } from "../../run/display-path.js";
import { UsageError } from "../../usage-error.js";
import { version } from "../../version.js";
import { parseCodegenArgs } from "../codegen/codegen-arguments.js";
import { codegenExitCode } from "../codegen/codegen-command.js";
import { generateOnce } from "../codegen/generate-once.js";
import { readPackageTarballs } from "./package-tarballs.js";
import { GENERATED_DIR, packageName, projectFiles, TOOL_VERSIONS } from "./project-files.js";

/** The comfy-ts packages a project uses directly: the command, graphs, the test harness. */
const PROJECT_PACKAGES = ["comfy-ts", "@comfy-ts/core", "@comfy-ts/testing"] as const;

/** Where `--packages` tarballs are copied inside the project (installed from there). */
const VENDOR_DIR = "vendor/comfy-ts";

const help = () => `comfy-ts init — start a project of ComfyUI pipelines in TypeScript with golden-image tests

Usage: comfy-ts init [DIR] [--url URL | --object-info FILE] [--packages TARBALLS]

Writes a new project into DIR (default: the current folder; created when absent). Nothing is
overwritten: init stops, changing nothing, when one of its files exists.

  package.json            comfy-ts, @comfy-ts/core, @comfy-ts/testing, vitest and TypeScript;
                          scripts test, typecheck and codegen
  tsconfig.json           strict TypeScript for Node's ES modules (NodeNext)
  vitest.config.ts        timeouts for GPU jobs (15 min a test) and the golden reporter
  .gitignore              node_modules, __results__ (comparison results), out (run outputs)
  src/poster.ts           a first pipeline
  test/poster.test.ts     its golden-image test
  .github/workflows/golden-tests.yml   the tests on self-hosted GPU runners
  ${GENERATED_DIR}/              typed factories of the server's nodes (comfy-ts codegen)

Node catalog of the factories (default: the embedded local server — ComfyUI's core nodes):
  --url URL               a running ComfyUI server (GET /object_info)
  --header "Name: value"  request header for --url, repeatable (also COMFY_TS_AUTH_HEADER)
  --timeout SECONDS       per request (default 30)
  --object-info FILE      a saved GET /object_info answer

Packages (default: the published ones, ^${version()}):
  --packages TARBALLS     a folder of package tarballs (\`pnpm pack:all\` in a comfy-ts checkout), for
                          before the packages are on a registry: copied into ${VENDOR_DIR}/ and
                          installed from there

  --quiet                 print only the next commands
  --help                  this text

Exit codes: 0 ok · 2 usage error · 3 a file exists, or the catalog could not be read ·
4 the server could not be reached.`;

export const initCommand: Command = {
  name: "init",
  summary: "Start a project: package.json, tsconfig, vitest config, a pipeline, its golden test, codegen",
  get help() {
    return help();
  },
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      url: { type: "string" },
      header: { type: "string", multiple: true },
      timeout: { type: "string" },
      "object-info": { type: "string" },
      packages: { type: "string" },
      quiet: { type: "boolean" },
    });
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    if (values.url !== undefined && values["object-info"] !== undefined)
      throw new UsageError("give --url URL or --object-info FILE, not both");
    const target = resolve(io.cwd, positionals[0] ?? ".");
    const shown = displayPath(io.cwd, target);
    const log = (line: string) => {
      if (!values.quiet) io.stderr.write(`${line}\n`);
    };

    // The codegen of the project, as its `npm run codegen` will run it (paths relative to the project).
    const projectIo: CommandIO = { ...io, cwd: target };
    const source =
      values.url !== undefined
        ? [
            "--url",
            values.url,
            ...(values.header ?? []).flatMap((h) => ["--header", h]),
            ...(values.timeout !== undefined ? ["--timeout", values.timeout] : []),
          ]
        : values["object-info"] !== undefined
          ? ["--input", relative(target, resolve(io.cwd, values["object-info"]))]
          : ["--local"];
    const plan = parseCodegenArgs([...source, "--out", GENERATED_DIR, "--quiet"], projectIo);

    const tarballs = values.packages
      ? [...(await readPackageTarballs(resolve(io.cwd, values.packages), PROJECT_PACKAGES)).values()]
      : undefined;
    const devDependencies: Record<string, string> = tarballs
      ? Object.fromEntries(tarballs.map((t) => [t.name, `file:${VENDOR_DIR}/${basename(t.file)}`]))
      : Object.fromEntries(PROJECT_PACKAGES.map((name) => [name, `^${version()}`]));
    const files = projectFiles({
      name: packageName(basename(target)),
      devDependencies: { ...devDependencies, ...TOOL_VERSIONS },
      codegenCommand: plan.generate.regenerateCommand ?? "",
    });
    const taken = [...files.keys(), GENERATED_DIR, ...(tarballs ? [VENDOR_DIR] : [])].filter((path) =>
      existsSync(join(target, path)),
    );
    if (taken.length > 0) {
      io.stderr.write(
        `comfy-ts init: ${shown} already has ${taken.join(", ")}; init writes a new project and overwrites nothing. ` +
          "Choose another folder (comfy-ts init DIR), or move those away.\n",
      );
      return ExitCode.input;
    }

    // The catalog first: when the server cannot be read, nothing has been written yet.
    log(
      `comfy-ts init: reading the node catalog of ${values.url ?? values["object-info"] ?? "the embedded local server"}`,
    );
    let catalog: Awaited<ReturnType<typeof loadCommandCatalog>>;
    try {
      catalog = await loadCommandCatalog(plan.source, io.signal);
    } catch (error) {
      if (!(error instanceof CodegenError)) throw error;
      if (io.signal.aborted) return ExitCode.interrupted;
      io.stderr.write(`comfy-ts init: ${error.message}\n`);
      return codegenExitCode(error);
    }

    for (const [path, text] of files) {
      await mkdir(dirname(join(target, path)), { recursive: true });
      await writeFile(join(target, path), text, { flag: "wx" });
    }
    if (tarballs) {
      await mkdir(join(target, VENDOR_DIR), { recursive: true });
      for (const t of tarballs) await copyFile(t.file, join(target, VENDOR_DIR, basename(t.file)));
    }
    const code = await generateOnce(plan, projectIo, catalog);
    if (code !== ExitCode.ok) return code;

    log(
      `comfy-ts init: wrote ${[...files.keys()].join(", ")}, ${GENERATED_DIR}/ (${catalog.catalog.nodes.size} node factories)` +
        (tarballs ? ` and ${VENDOR_DIR}/ (${tarballs.length} package tarballs)` : ""),
    );
    const cd = shown === "." ? [] : [`cd ${shellWord(shown)}`];
    io.stdout.write(
      [
        "Next:",
        ...[
          ...cd,
          "npm install",
          "npm test -- -u          # runs test/poster.test.ts and writes its golden (review it, commit it)",
          "npm test                # from now on: compares every pixel with the golden",
          "npm run typecheck       # tsc --noEmit over src/ and test/",
          "npx comfy-ts run src/poster.ts   # runs the pipeline, writes its image into out/",
          `npm run codegen         # regenerates ${GENERATED_DIR}/ when the server's nodes change`,
        ].map((line) => `  ${line}`),
        "Tests and runs use the server COMFYUI_URL names (e.g. http://127.0.0.1:8188), else the embedded local server.",
        "",
      ].join("\n"),
    );
    return ExitCode.ok;
  },
};

/** A path as one word of a POSIX shell command (quoted when it has spaces or other specials). */
function shellWord(text: string): string {
  return /^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
