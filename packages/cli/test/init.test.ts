import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { repoRoot } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExitCode } from "../src/command.js";
import { TOOL_VERSIONS } from "../src/commands/init/project-files.js";
import { main } from "../src/main.js";
import { version } from "../src/version.js";
import { captureIo } from "./support/capture-io.js";

// Inside the package (test/out is ignored by git): the projects' modules resolve @comfy-ts/core.
const OUT = resolve(import.meta.dirname, "out/init");

beforeAll(async () => {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
});
afterAll(() => rm(OUT, { recursive: true, force: true }));

async function init(args: string[], env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(OUT, env);
  const code = await main(["init", ...args], c.io);
  return { code, out: c.stdout(), err: c.stderr() };
}

const FILES = [
  "package.json",
  "tsconfig.json",
  "vitest.config.ts",
  ".gitignore",
  "src/poster.ts",
  "test/poster.test.ts",
  ".github/workflows/golden-tests.yml",
  "src/comfy/nodes.d.ts",
  "src/comfy/nodes.js",
  "src/comfy/manifest.json",
];

describe("comfy-ts init", () => {
  test("writes a project whose factories come from the embedded local server, and prints the next commands", async () => {
    const { code, out, err } = await init(["My Project"]);
    expect(code, err).toBe(ExitCode.ok);
    const dir = join(OUT, "My Project");
    for (const file of FILES) expect(existsSync(join(dir, file)), file).toBe(true);
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: "my-project",
      private: true,
      type: "module",
      scripts: {
        test: "vitest run",
        typecheck: "tsc --noEmit",
        codegen: "comfy-ts codegen --local --out src/comfy",
      },
    });
    expect(pkg.devDependencies).toEqual({
      "@comfy-ts/core": `^${version()}`,
      "@comfy-ts/testing": `^${version()}`,
      "comfy-ts": `^${version()}`,
      ...TOOL_VERSIONS,
    });
    expect(await readFile(join(dir, "src/comfy/nodes.d.ts"), "utf8")).toContain(
      "// Regenerate with: comfy-ts codegen --local --out src/comfy\n",
    );
    expect(await readFile(join(dir, "vitest.config.ts"), "utf8")).toMatch(
      /testTimeout: 15 \* 60_000[\s\S]*new GoldenReporter\(\)/,
    );
    expect(out).toBe(
      [
        "Next:",
        "  cd 'My Project'",
        "  npm install",
        "  npm test -- -u          # runs test/poster.test.ts and writes its golden (review it, commit it)",
        "  npm test                # from now on: compares every pixel with the golden",
        "  npm run typecheck       # tsc --noEmit over src/ and test/",
        "  npx comfy-ts run src/poster.ts   # runs the pipeline, writes its image into out/",
        "  npm run codegen         # regenerates src/comfy/ when the server's nodes change",
        "Tests and runs use the server COMFYUI_URL names (e.g. http://127.0.0.1:8188), else the embedded local server.",
        "",
      ].join("\n"),
    );
    expect(err).toMatch(/^comfy-ts init: reading the node catalog of the embedded local server\n/);
    expect(err).toMatch(/src\/comfy\/ \(\d+ node factories\)\n$/);
  });

  test("the pipeline it writes runs, and exports to a UI workflow, as written", async () => {
    const dir = join(OUT, "runs");
    expect((await init(["runs", "--quiet"])).code).toBe(ExitCode.ok);
    const run = captureIo(dir);
    expect(await main(["run", "src/poster.ts"], run.io), run.stderr()).toBe(ExitCode.ok);
    expect(run.stdout()).toMatch(/^wrote out\/poster_00001_\.png/);
    const exported = captureIo(dir);
    expect(
      await main(["export", "src/poster.ts", "--to", "ui", "-o", "poster.workflow.json"], exported.io),
    ).toBe(ExitCode.ok);
  });

  test("overwrites nothing: with one of its files present it stops, writing nothing", async () => {
    const dir = join(OUT, "taken");
    await mkdir(join(dir, "src"), { recursive: true });
    await writeFile(join(dir, "src/poster.ts"), "// mine\n");
    const { code, err } = await init(["taken"]);
    expect(code).toBe(ExitCode.input);
    expect(err).toBe(
      "comfy-ts init: taken already has src/poster.ts; init writes a new project and overwrites nothing. " +
        "Choose another folder (comfy-ts init DIR), or move those away.\n",
    );
    expect(readdirSync(dir, { recursive: true })).toEqual(["src", "src/poster.ts"]);
    expect(await readFile(join(dir, "src/poster.ts"), "utf8")).toBe("// mine\n");
  });

  test("a server that cannot be reached: exit 4, nothing written", async () => {
    const { code, err } = await init(["unreachable", "--url", "http://127.0.0.1:9", "--timeout", "5"]);
    expect(code).toBe(ExitCode.server);
    expect(err).toMatch(/comfy-ts init: cannot reach http:\/\/127\.0\.0\.1:9\/object_info/);
    expect(existsSync(join(OUT, "unreachable"))).toBe(false);
  });

  test("--object-info FILE: the regenerate command names it relative to the project", async () => {
    const catalog = join(OUT, "object_info.json");
    const { startLocalServer } = await import("@comfy-ts/local-server");
    const local = await startLocalServer();
    await writeFile(catalog, await (await fetch(`${local.url}/object_info`)).text());
    await local.close();
    expect((await init(["from-file", "--object-info", "object_info.json", "--quiet"])).code).toBe(
      ExitCode.ok,
    );
    const pkg = JSON.parse(await readFile(join(OUT, "from-file/package.json"), "utf8"));
    expect(pkg.scripts.codegen).toBe("comfy-ts codegen --input ../object_info.json --out src/comfy");
  });

  test.each([
    [["a", "b"], 'unexpected argument "b"'],
    [["a", "--url", "http://x", "--object-info", "o.json"], "give --url URL or --object-info FILE, not both"],
    [["a", "--timeout", "30000", "--url", "http://x"], "--timeout is in seconds"],
  ])("usage: %j", async (args, message) => {
    const { code, err } = await init(args);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain(`comfy-ts init: ${message}`);
  });
});

describe("comfy-ts init --packages: a project installed from tarballs", () => {
  /** A tarball as `pnpm pack` makes it: package/package.json inside a gzipped tar. */
  async function tarball(dir: string, file: string, manifest: Record<string, unknown>) {
    const root = join(dir, `${file}.src`);
    await mkdir(join(root, "package"), { recursive: true });
    await writeFile(join(root, "package/package.json"), JSON.stringify(manifest));
    execFileSync("tar", ["-czf", join(dir, file), "-C", root, "package"]);
    await rm(root, { recursive: true });
  }

  test("copies the tarballs into vendor/comfy-ts and installs each from there", async () => {
    const packs = join(OUT, "packs");
    await mkdir(packs, { recursive: true });
    const v = "0.1.0";
    await tarball(packs, "comfy-ts-0.1.0.tgz", {
      name: "comfy-ts",
      version: v,
      dependencies: { "@comfy-ts/codegen": v, "@comfy-ts/core": v },
    });
    await tarball(packs, "comfy-ts-core-0.1.0.tgz", { name: "@comfy-ts/core", version: v });
    await tarball(packs, "comfy-ts-testing-0.1.0.tgz", {
      name: "@comfy-ts/testing",
      version: v,
      dependencies: { "@comfy-ts/core": v },
    });
    await tarball(packs, "x.tgz", { name: "unrelated", version: "1.0.0" });

    const missing = await init(["from-packs", "--packages", "packs"]);
    expect(missing.code).toBe(ExitCode.usage);
    expect(missing.err).toContain(
      `comfy-ts init: --packages ${packs} lacks @comfy-ts/codegen (a dependency of comfy-ts): make every tarball with \`pnpm pack:all\` in a comfy-ts checkout`,
    );
    expect(existsSync(join(OUT, "from-packs"))).toBe(false);

    await tarball(packs, "comfy-ts-codegen-0.1.0.tgz", { name: "@comfy-ts/codegen", version: v });
    expect((await init(["from-packs", "--packages", "packs", "--quiet"])).code).toBe(ExitCode.ok);
    const dir = join(OUT, "from-packs");
    const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8"));
    expect(pkg.devDependencies).toEqual({
      "@comfy-ts/codegen": "file:vendor/comfy-ts/comfy-ts-codegen-0.1.0.tgz",
      "@comfy-ts/core": "file:vendor/comfy-ts/comfy-ts-core-0.1.0.tgz",
      "@comfy-ts/testing": "file:vendor/comfy-ts/comfy-ts-testing-0.1.0.tgz",
      "comfy-ts": "file:vendor/comfy-ts/comfy-ts-0.1.0.tgz",
      ...TOOL_VERSIONS,
    });
    expect(readdirSync(join(dir, "vendor/comfy-ts")).sort()).toEqual([
      "comfy-ts-0.1.0.tgz",
      "comfy-ts-codegen-0.1.0.tgz",
      "comfy-ts-core-0.1.0.tgz",
      "comfy-ts-testing-0.1.0.tgz",
    ]);
  });

  test("a file that is not a tarball is named", async () => {
    const packs = join(OUT, "bad-packs");
    await mkdir(packs, { recursive: true });
    await writeFile(join(packs, "broken.tgz"), "not gzip");
    const { code, err } = await init(["bad", "--packages", "bad-packs"]);
    expect(code).toBe(ExitCode.usage);
    expect(err).toContain(`comfy-ts init: ${join(packs, "broken.tgz")} is not a gzipped package tarball`);
  });
});

test("the tool versions of the template are the ones this repository builds and tests with", async () => {
  const workspace = await readFile(join(repoRoot, "pnpm-workspace.yaml"), "utf8");
  const catalog = (name: string) => new RegExp(`^  "?${name}"?: (\\S+)$`, "m").exec(workspace)?.[1];
  const testing = JSON.parse(await readFile(join(repoRoot, "packages/testing/package.json"), "utf8"));
  expect(TOOL_VERSIONS.vitest).toBe(testing.peerDependencies.vitest);
  // The template's caret range admits the catalog's version (same major, not older).
  for (const name of ["vitest", "typescript", "@types/node"] as const) {
    const pinned = catalog(name)!.replace(/^[~^]/, "").split(".").map(Number);
    const range = TOOL_VERSIONS[name].replace(/^\^/, "").split(".").map(Number);
    expect(pinned[0], name).toBe(range[0]);
    expect(pinned[1]! * 1000 + pinned[2]!, name).toBeGreaterThanOrEqual(range[1]! * 1000 + range[2]!);
  }
});
