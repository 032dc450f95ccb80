// The command blocks of every README run as written: each `comfy-ts …` line is executed, in order,
// in a project made by `comfy-ts init`, against the local server (a server URL in a README is
// that server). Lines that are not comfy-ts commands (npm, pnpm, git) are named below with the
// check that runs them; a new README command must be one or the other, or this test fails.
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { repoRoot } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

interface ReadmeLine {
  readonly readme: string;
  readonly line: number;
  /** The command without its trailing `# comment`. */
  readonly command: string;
}

/** Every command line of the ```sh blocks of the repository's READMEs, in file order. */
function readmeCommands(): ReadmeLine[] {
  const readmes = ["README.md", ...findReadmes("packages")];
  return readmes.flatMap((readme) => {
    const lines = readFileSync(join(repoRoot, readme), "utf8").split("\n");
    const found: ReadmeLine[] = [];
    let inBlock = false;
    lines.forEach((text, i) => {
      if (/^```(sh|bash|shell)\s*$/.test(text)) inBlock = true;
      else if (text.startsWith("```")) inBlock = false;
      else if (inBlock) {
        const command = text.replace(/(^|\s+)#.*$/, "").trim();
        for (const part of command.split(" && "))
          if (part) found.push({ readme, line: i + 1, command: part });
      }
    });
    return found;
  });
}

function findReadmes(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory())
      return ["node_modules", "dist", "test", "bench"].includes(entry.name) ? [] : findReadmes(path);
    return entry.name === "README.md" ? [path] : [];
  });
}

/** Commands of the READMEs this test does not run, and what runs them. */
const RUN_ELSEWHERE: Readonly<Record<string, string>> = {
  "npx --yes pnpm@10 install": "CI (.ci/run) installs the workspace with it before every check",
  "npx --yes pnpm@10 test": "it is the command that runs this test (CI runs it)",
  "npx --yes pnpm@10 pack:all": "pnpm check:packages packs every package the same way (packAll)",
  "npx --yes pnpm@10 comfy-ts init ../my-project --packages packs":
    "pnpm check:packages runs comfy-ts init --packages from the tarballs",
  "npm install": "pnpm check:packages runs the commands init prints, as printed, in the project it made",
  "npm test -- -u": "pnpm check:packages runs the commands init prints, as printed, in the project it made",
  "npm test": "pnpm check:packages runs the commands init prints, as printed, in the project it made",
  "npm run typecheck":
    "pnpm check:packages runs the commands init prints, as printed, in the project it made",
  "git add test/__goldens__": "git, in the user's repository",
  "npm create comfy-ts my-project":
    "pnpm check:packages runs create-comfy-ts, the bin `npm create comfy-ts` runs (by name once published)",
  "npm create comfy-ts my-project -- --url http://127.0.0.1:8188":
    "pnpm check:packages runs create-comfy-ts, the bin `npm create comfy-ts` runs (by name once published)",
};

const commands = readmeCommands();
const COMFY_TS = /^((?:[A-Z_]+=\S+\s+)*)(?:npx |pnpm )?comfy-ts\s+(.+)$/;
const runHere = commands.filter((c) => COMFY_TS.test(c.command) || c.command === "npx --yes pnpm@10 demo");
const elsewhere = commands.filter((c) => !runHere.includes(c));

// Inside the package (test/out is ignored by git) so the project's modules resolve @comfy-ts/core.
const PROJECT = resolve(import.meta.dirname, "out/readme-project");
let local: LocalServer;

beforeAll(async () => {
  local = await startLocalServer();
  await rm(PROJECT, { recursive: true, force: true });
  await mkdir(PROJECT, { recursive: true });
  const init = captureIo(PROJECT);
  expect(await main(["init", ".", "--quiet"], init.io), init.stderr()).toBe(ExitCode.ok);
  // The two saved catalogs codegen's README compares: the server's, and the same without a node.
  const catalog = (await (await fetch(`${local.url}/object_info`)).json()) as Record<string, unknown>;
  await writeFile(join(PROJECT, "new.json"), JSON.stringify(catalog));
  const { ImageInvert: _dropped, ...older } = catalog;
  await writeFile(join(PROJECT, "old.json"), JSON.stringify(older));
  // The poster's golden, as `npm test -- -u` writes it (compared in the root README).
  const run = captureIo(PROJECT);
  expect(await main(["run", "src/poster.ts", "--out", "golden-run"], run.io), run.stderr()).toBe(ExitCode.ok);
  await mkdir(join(PROJECT, "test/__goldens__/poster.test.ts"), { recursive: true });
  await rename(
    join(PROJECT, "golden-run/poster_00001_.png"),
    join(PROJECT, "test/__goldens__/poster.test.ts/poster.png"),
  );
}, 120_000);

afterAll(async () => {
  await local?.close();
  await rm(PROJECT, { recursive: true, force: true });
});

test("the READMEs have command blocks, and every command is run here or named with what runs it", () => {
  expect(runHere.length).toBeGreaterThanOrEqual(10);
  const unknown = elsewhere.filter((c) => RUN_ELSEWHERE[c.command] === undefined);
  expect(
    unknown.map((c) => `${c.readme}:${c.line}: ${c.command}`),
    "README commands nothing runs: make them comfy-ts commands this test runs, or name their check in RUN_ELSEWHERE",
  ).toEqual([]);
});

test("the root README's npm commands are the ones init prints", async () => {
  const dir = resolve(import.meta.dirname, "out/readme-init-printout");
  await rm(dir, { recursive: true, force: true });
  const c = captureIo(resolve(import.meta.dirname, "out"));
  expect(await main(["init", "readme-init-printout", "--quiet"], c.io)).toBe(ExitCode.ok);
  await rm(dir, { recursive: true, force: true });
  const printed = c
    .stdout()
    .split("\n")
    .filter((line) => /^ {2}npm /.test(line))
    .map((line) => line.replace(/\s+#.*$/, "").trim());
  const readme = commands.filter(
    (x) => x.readme === "README.md" && /^npm (install|test|run)/.test(x.command),
  );
  expect(readme.map((x) => x.command)).toEqual(printed.filter((line) => line !== "npm run codegen"));
});

describe.each(elsewhere.map((c) => [`${c.readme}:${c.line}: ${c.command}`, c] as const))("%s", (_, c) => {
  test.skip(`not run here: ${RUN_ELSEWHERE[c.command] ?? "(unknown: see the test above)"}`, () => {});
});

describe("the comfy-ts commands of the READMEs, in a project made by comfy-ts init, on the local server", () => {
  test.each(runHere.map((c) => [`${c.readme}:${c.line}: ${c.command}`, c] as const))(
    "%s",
    async (_, c) => {
      if (c.command === "npx --yes pnpm@10 demo") return demoLeavesOneImage();
      const [, assignments, rest] = COMFY_TS.exec(c.command)!;
      const env: NodeJS.ProcessEnv = {};
      for (const assignment of assignments!.trim().split(/\s+/).filter(Boolean)) {
        const [key, value] = assignment.split("=") as [string, string];
        env[key] = toLocalServer(value);
      }
      const args = rest!.split(/\s+/).map(toLocalServer);
      // A README's port may be taken on this machine: any free one serves the same.
      const port = args.indexOf("--port");
      if (port >= 0) args[port + 1] = "0";
      const controller = new AbortController();
      const io = captureIo(PROJECT, env, controller.signal);
      const long = args[0] === "serve" || args.includes("--watch");
      const running = main(args, io.io);
      if (long) {
        // Runs until Ctrl-C: stop it once it says it is up (or watching).
        const ready = args[0] === "serve" ? /COMFYUI_URL=/ : /watching /;
        await until(() => ready.test(io.stdout() + io.stderr()));
        controller.abort();
      }
      const code = await running;
      expect(code, `${io.stderr()}${io.stdout()}`).toBe(long ? ExitCode.interrupted : ExitCode.ok);
    },
    120_000,
  );
});

/** A server URL of a README (`http://127.0.0.1:8188`, `http://gpu-a:8188,…`) → the local server. */
function toLocalServer(text: string): string {
  return text.replace(/https?:\/\/[\w.-]+:8188/g, local.url.replace(/\/$/, ""));
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the command did not start within 60 s");
    await new Promise((done) => setTimeout(done, 20));
  }
}

/**
 * `pnpm demo` is `comfy-ts run examples/src/pipelines/poster.ts --out out/demo` (root package.json):
 * run that twice, into a scratch folder, and --out holds one image — the preview went elsewhere.
 */
async function demoLeavesOneImage(): Promise<void> {
  const script = (
    JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts["demo"]!;
  const args = script.split(/\s+/).slice(script.split(/\s+/).indexOf("packages/cli/src/bin.ts") + 1);
  const out = resolve(import.meta.dirname, "out/readme-demo");
  await rm(out, { recursive: true, force: true });
  args[args.indexOf("--out") + 1] = relative(repoRoot, out);
  for (let run = 0; run < 2; run++) {
    const io = captureIo(repoRoot);
    expect(await main(args, io.io), io.stderr()).toBe(ExitCode.ok);
    const preview = /^wrote preview (\S+)/m.exec(io.stdout())?.[1];
    expect(preview, io.stdout()).toBeDefined();
    await rm(resolve(preview!, ".."), { recursive: true, force: true });
  }
  const written = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(written.map((e) => e.name)).toEqual(["poster_00001_.png"]);
  await rm(out, { recursive: true, force: true });
}
