import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithFixture } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { captureIo } from "./support/capture-io.js";

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function run(argv: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const c = captureIo(cwd, env);
  const code = await main(["codegen", ...argv], c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

const tiny = {
  ImageInvert: {
    input: { required: { image: ["IMAGE"] } },
    output: ["IMAGE"],
    output_is_list: [false],
    output_name: ["IMAGE"],
    name: "ImageInvert",
    display_name: "Invert Image",
    description: "",
    python_module: "nodes",
    category: "image",
    output_node: false,
  },
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "comfy-ts-codegen-"));
  writeFileSync(join(work, "tiny.json"), JSON.stringify(tiny));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("comfy-ts codegen: usage and errors", () => {
  test("--help documents the options and exit codes", async () => {
    const r = await run(["--help"], work);
    expect(r.code).toBe(ExitCode.ok);
    for (const flag of [
      "--url",
      "--input",
      "--out",
      "--check",
      "--diff-from",
      "--json",
      "--watch",
      "--save-catalog",
      "--header",
    ]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain("Exit codes:");
  });

  test.each([
    [[], "give exactly one source"],
    [["--input", "a.json", "--url", "http://x"], "give exactly one source"],
    [["--input", "tiny.json"], "give --out DIR"],
    [["--input", "tiny.json", "--out", "o", "--watch"], "--watch needs --url"],
    [["--input", "tiny.json", "--out", "o", "--bogus"], "comfy-ts codegen: unknown option --bogus\n"],
    [["--input", "tiny.json", "--outt", "o"], "unknown option --outt (did you mean --out?)"],
    [["--input", "tiny.json", "--out"], "--out needs a value"],
    [
      ["--input", "tiny.json", "--out", "o", "--max-combo-values", "x"],
      "--max-combo-values must be an integer",
    ],
  ])("usage error %j", async (argv, message) => {
    const r = await run(argv, work);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toContain(message);
    // One line and the --help hint, never Node's advice about "--" and positionals.
    expect(r.stderr).not.toContain("To specify a positional");
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.any(String),
      'Run "comfy-ts codegen --help" for the options.',
    ]);
  });

  test("the command summary starts with a capital, like the others", async () => {
    const r = await run([], work);
    const top = captureIo(work);
    await main(["--help"], top.io);
    expect(top.stdout()).toMatch(/\n {2}codegen +Generate typed node factories/);
    expect(r.code).toBe(ExitCode.usage);
  });

  test("unreadable nodes are skipped and each is listed with its reason", async () => {
    const catalog = {
      ...tiny,
      EmptyImage: {
        input: { required: { width: ["INT", { default: 512 }] } },
        output: "oops",
        output_is_list: [1],
      },
      Broken: { input: { required: { x: 42 } }, output: ["IMAGE"] },
    };
    writeFileSync(join(work, "partly.json"), JSON.stringify(catalog));
    const r = await run(["--input", "partly.json", "--out", "partly-out"], work);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stderr).toContain("read 1 node classes (2 unreadable, skipped)");
    expect(r.stderr).toMatch(/ {2}skipped EmptyImage: output_is_list\[0\]: .*expected boolean/);
    expect(r.stderr).toContain(
      "  skipped Broken: input.required.x: input spec must be [type, options?] or a type string",
    );
  });

  test("a missing file, malformed JSON (with its position) and a catalog without nodes are input errors", async () => {
    const missing = await run(["--input", "nope.json", "--out", "o"], work);
    expect(missing.code).toBe(ExitCode.input);
    expect(missing.stderr).toContain("cannot read the catalog file");
    writeFileSync(join(work, "bad.json"), '{"A": {"input": {}\n  "oops": 1}');
    const bad = await run(["--input", "bad.json", "--out", "o"], work);
    expect(bad.code).toBe(ExitCode.input);
    expect(bad.stderr).toMatch(/not valid JSON.*line 2/);
    writeFileSync(join(work, "empty.json"), "{}");
    const empty = await run(["--input", "empty.json", "--out", "o"], work);
    expect(empty.code).toBe(ExitCode.input);
    expect(empty.stderr).toContain("has no node classes");
  });

  test("an unreachable server is a server error", async () => {
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, "127.0.0.1", done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));
    const r = await run(["--url", `http://127.0.0.1:${port}`, "--out", "o", "--timeout", "2"], work);
    expect(r.code).toBe(ExitCode.server);
    expect(r.stderr).toContain(`cannot reach http://127.0.0.1:${port}/object_info`);
  });
});

describe("comfy-ts codegen against a server", () => {
  let server: Server;
  let url: string;
  const seen: string[] = [];
  let status = 200;
  let catalogText = JSON.stringify(tiny);
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ""}`);
      if (status !== 200) {
        res.writeHead(status).end("denied");
        return;
      }
      res.setHeader("content-type", "application/json");
      if (req.url === "/object_info") res.end(catalogText);
      else if (req.url === "/system_stats")
        res.end(JSON.stringify({ system: { comfyui_version: "0.3.65" } }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => server.close(done)));

  test("fetches the catalog and the version with the auth header, which is never printed", async () => {
    const out = join(work, "from-url");
    const r = await run(["--url", url, "--out", out, "--save-catalog", join(out, "object_info.json")], work, {
      COMFY_TS_AUTH_HEADER: "Authorization: Bearer s3cret",
    });
    expect(r.code).toBe(ExitCode.ok);
    expect(seen).toContain("/object_info Bearer s3cret");
    expect(r.stdout + r.stderr).not.toContain("s3cret");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ comfyuiVersion: "0.3.65", nodeCount: 1, catalog: "object_info.json" });
    expect(JSON.parse(readFileSync(join(out, "object_info.json"), "utf8"))).toEqual(tiny);
    const again = await run(["--url", url, "--out", out, "--diff"], work);
    expect(again.stdout).toContain("No changes between the catalogs.");
  });

  test("--watch regenerates when the server's catalog changes and prints the diff; Ctrl-C ends it", async () => {
    const out = join(work, "watched");
    const controller = new AbortController();
    const c = captureIo(work, {}, controller.signal);
    const running = main(["codegen", "--url", url, "--out", out, "--watch", "--interval", "0.05"], c.io);
    await until(() => c.stderr().includes("watching"));
    const original = JSON.stringify(tiny);
    catalogText = JSON.stringify({
      ...tiny,
      ImageInvert: { ...tiny.ImageInvert, display_name: "Invert" },
      Extra: tiny.ImageInvert,
    });
    try {
      await until(() => c.stdout().includes("+ node Extra"));
      await until(() =>
        readFileSync(join(out, "nodes.d.ts"), "utf8").includes("export declare const Extra:"),
      );
    } finally {
      catalogText = original;
      controller.abort();
    }
    expect(await running).toBe(ExitCode.interrupted);
    expect(c.stdout()).toContain("Catalog changes: 1 node(s) added, 0 removed, 0 changed.");
  });

  test("an HTTP error is a server error that says the status", async () => {
    status = 401;
    try {
      const r = await run(["--url", url, "--out", join(work, "denied")], work);
      expect(r.code).toBe(ExitCode.server);
      expect(r.stderr).toContain("HTTP 401");
      expect(r.stderr).toContain("--header");
    } finally {
      status = 200;
    }
  });
});

describe("comfy-ts codegen output folder", () => {
  test("unchanged files are not rewritten; files it did not generate are never touched", async () => {
    const out = join(work, "out-tiny");
    expect((await run(["--input", "tiny.json", "--out", out], work)).code).toBe(ExitCode.ok);
    const before = statSync(join(out, "nodes.d.ts")).mtimeMs;
    await new Promise((done) => setTimeout(done, 20));
    const second = await run(["--input", "tiny.json", "--out", out], work);
    expect(second.stderr).toContain("0 written, 3 unchanged");
    expect(statSync(join(out, "nodes.d.ts")).mtimeMs).toBe(before);

    const foreign = join(work, "foreign");
    await run(["--input", "tiny.json", "--out", foreign], work);
    rmSync(join(foreign, "manifest.json"));
    writeFileSync(join(foreign, "nodes.js"), "// my own file\n");
    const r = await run(["--input", "tiny.json", "--out", foreign], work);
    expect(r.code).toBe(ExitCode.input);
    expect(r.stderr).toContain("was not generated by comfy-ts codegen");
    expect(readFileSync(join(foreign, "nodes.js"), "utf8")).toBe("// my own file\n");
  });

  test("the header shows paths relative to the working directory, and --check ignores where the catalog came from", async () => {
    const out = join(work, "out-paths");
    expect((await run(["--input", join(work, "tiny.json"), "--out", out], work)).code).toBe(ExitCode.ok);
    const header = readFileSync(join(out, "nodes.d.ts"), "utf8").split("\n")[1];
    expect(header).toBe("// Regenerate with: comfy-ts codegen --input tiny.json --out out-paths");
    // The same catalog from another path (as on a CI machine) is current.
    writeFileSync(join(work, "tiny-copy.json"), JSON.stringify(tiny));
    const check = await run(["--input", "tiny-copy.json", "--out", out, "--check"], work);
    expect(check.code, check.stderr).toBe(ExitCode.ok);
    // --object-info is the same option under import/export's name.
    expect((await run(["--object-info", "tiny-copy.json", "--out", out, "--check"], work)).code).toBe(
      ExitCode.ok,
    );
    // A different catalog is not.
    writeFileSync(
      join(work, "tiny-changed.json"),
      JSON.stringify({ ...tiny, Extra: { ...tiny.ImageInvert, name: "Extra" } }),
    );
    expect((await run(["--input", "tiny-changed.json", "--out", out, "--check"], work)).code).toBe(
      ExitCode.failed,
    );
  });

  test("files listed by the previous manifest and no longer generated are removed", async () => {
    const out = join(work, "stale");
    await run(["--input", "tiny.json", "--out", out], work);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    manifest.files["old-pack.d.ts"] = "0";
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
    writeFileSync(join(out, "old-pack.d.ts"), "// Generated by comfy-ts codegen\n");
    writeFileSync(join(out, "notes.md"), "mine\n");
    const check = await run(["--input", "tiny.json", "--out", out, "--check"], work);
    expect(check.code).toBe(ExitCode.failed);
    expect(check.stdout).toContain("--- a/old-pack.d.ts");
    const r = await run(["--input", "tiny.json", "--out", out], work);
    expect(r.stderr).toContain("1 removed");
    expect(() => statSync(join(out, "old-pack.d.ts"))).toThrow();
    expect(readFileSync(join(out, "notes.md"), "utf8")).toBe("mine\n");
  });
});

describeWithFixture(
  "comfy-ts codegen --check and --diff-from on real catalogs",
  ["object-info"],
  (folder) => {
    const c496 = join(folder, "install-2025-10-496-nodes.json");
    const c568 = join(folder, "install-2025-568-nodes.json");

    test("--check: current output passes; output of another catalog fails with a unified diff", async () => {
      const out = join(work, "real-496");
      expect((await run(["--input", c496, "--out", out], work)).code).toBe(ExitCode.ok);
      const current = await run(["--input", c496, "--out", out, "--check"], work);
      expect(current.code).toBe(ExitCode.ok);
      expect(current.stdout).toBe("");
      const before = readFileSync(join(out, "nodes.d.ts"), "utf8");
      const stale = await run(["--input", c568, "--out", out, "--check"], work);
      expect(stale.code).toBe(ExitCode.failed);
      expect(stale.stdout).toMatch(/^--- a\/nodes\.d\.ts\n\+\+\+ b\/nodes\.d\.ts\n@@ -\d+,\d+ \+\d+,\d+ @@/);
      expect(stale.stdout).toContain("+export declare const HEDPreprocessor:");
      expect(stale.stderr).toContain("is stale: nodes.d.ts, nodes.js, manifest.json");
      expect(stale.stdout).not.toContain("\x1b[");
      expect(readFileSync(join(out, "nodes.d.ts"), "utf8")).toBe(before);
    });

    test("--check colors its diff on a terminal, and not with NO_COLOR", async () => {
      const out = join(work, "colors");
      await run(["--input", c496, "--out", out], work);
      const onTerminal = async (env: NodeJS.ProcessEnv) => {
        const c = captureIo(work, env);
        Object.assign(c.io.stdout, { isTTY: true });
        const code = await main(["codegen", "--input", c568, "--out", out, "--check"], c.io);
        expect(code).toBe(ExitCode.failed);
        return c.stdout();
      };
      expect(await onTerminal({})).toContain("\x1b[32m+");
      expect(await onTerminal({ NO_COLOR: "1" })).not.toContain("\x1b[");
    });

    test("--diff-from: nodes added and removed, input and option changes, as text and as JSON", async () => {
      const text = await run(["--input", c568, "--diff-from", c496], work);
      expect(text.code).toBe(ExitCode.ok);
      expect(text.stdout).toMatch(/^Catalog changes: \d+ node\(s\) added, \d+ removed, \d+ changed\./);
      expect(text.stdout).toContain("+ node HEDPreprocessor");
      const json = await run(["--input", c568, "--diff-from", c496, "--json"], work);
      const diff = JSON.parse(json.stdout) as {
        addedNodes: string[];
        removedNodes: string[];
        changedNodes: { classType: string; changes: { kind: string }[] }[];
      };
      expect(diff.addedNodes).toContain("HEDPreprocessor");
      expect(diff.addedNodes).toContain("ScribblePreprocessor");
      expect(diff.removedNodes.length).toBeGreaterThan(0);
      expect(text.stdout).toContain(`- node ${diff.removedNodes[0]}`);
      const kinds = new Set(diff.changedNodes.flatMap((n) => n.changes.map((c) => c.kind)));
      expect(kinds.size).toBeGreaterThan(1);
      const reverse = JSON.parse((await run(["--input", c496, "--diff-from", c568, "--json"], work)).stdout);
      expect(reverse.addedNodes).toEqual(diff.removedNodes);
      expect(reverse.removedNodes).toEqual(diff.addedNodes);
    });
  },
);
