// `comfy-ts run` when the WebSocket drops mid-job: the run still finishes (by polling /history) with
// the same files as an undisturbed run, and says so in one line.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { type LocalServer, startLocalServer } from "@comfy-ts/local-server";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../src/command.js";
import { main } from "../src/main.js";
import { type SocketCuttingProxy, startSocketCuttingProxy } from "./support/socket-cutting-proxy.js";

const FIXTURE = resolve(import.meta.dirname, "fixtures/invert.workflow.ts");

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function freshServer(): Promise<LocalServer> {
  const server = await startLocalServer();
  cleanup.push(() => server.close());
  return server;
}

async function run(args: string[]) {
  const cwd = await mkdtemp(join(tmpdir(), "comfy-run-drop-"));
  cleanup.push(() => rm(cwd, { recursive: true, force: true }));
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  let out = "";
  let err = "";
  stdout.on("data", (d) => {
    out += String(d);
  });
  stderr.on("data", (d) => {
    err += String(d);
  });
  const started = Date.now();
  const code = await main(["run", FIXTURE, ...args], {
    stdout,
    stderr,
    env: {},
    cwd,
    signal: new AbortController().signal,
  });
  return { code, out, err, cwd, ms: Date.now() - started };
}

/** Every file under `dir`, by relative path, with its bytes. */
async function files(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    found[relative(dir, path)] = (await readFile(path)).toString("base64");
  }
  return found;
}

describe("comfy-ts run: the WebSocket drops after execution_start", () => {
  let proxy: SocketCuttingProxy;

  it("finishes by polling /history, writes the same files as an undisturbed run, one notice line", async () => {
    // Fresh servers for both runs: each executes the graph and names its file _00001_.
    const baseline = await run(["--server", (await freshServer()).url]);
    expect(baseline.code).toBe(ExitCode.ok);

    proxy = await startSocketCuttingProxy((await freshServer()).url, {
      afterEvent: "execution_start",
      refuseReconnect: true,
    });
    cleanup.push(() => proxy.close());
    const dropped = await run(["--server", proxy.url]);
    expect(dropped.err).not.toMatch(/comfy-ts run:/);
    expect(dropped.code).toBe(ExitCode.ok);
    expect(proxy.cuts).toBe(1);

    const expected = await files(join(baseline.cwd, "out"));
    expect(Object.keys(expected)).toEqual([join("cli", "inverted_00001_.png")]);
    expect(await files(join(dropped.cwd, "out"))).toEqual(expected);
    expect(dropped.out).toBe(baseline.out);

    const notices = dropped.err.split("\n").filter((l) => /websocket|connection|reconnect/i.test(l));
    expect(notices).toEqual([
      expect.stringMatching(
        /^connection lost mid-job: WebSocket closed \(code \d+\); following the job by polling \/history while it reconnects$/,
      ),
    ]);
    expect(dropped.err).toMatch(
      /done: prompt .*, 3 nodes executed, \d+ ms \(followed by polling \/history\)\n/,
    );
    // Well within the default bounds: polling picks the job up at its next interval.
    expect(dropped.ms).toBeLessThan(10_000);
  });

  it("the server gone with the socket: exit 4 with a connection error once --unreachable runs out", async () => {
    proxy = await startSocketCuttingProxy((await freshServer()).url, {
      afterEvent: "execution_start",
      refuseReconnect: true,
      serverGoneAfterCut: true,
    });
    cleanup.push(() => proxy.close());
    const { code, out, err, ms } = await run(["--server", proxy.url, "--unreachable", "2"]);
    expect(code).toBe(ExitCode.server);
    expect(out).toBe("");
    const lines = err.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^comfy-ts run: .*GET .*\/(history|queue)/);
    expect(lines.at(-1)).toMatch(/[0-9a-f-]{36}/);
    expect(lines.filter((l) => /connection lost mid-job/.test(l))).toHaveLength(1);
    // The outage is ridden out for 2 s (the last GET and its retries may end a little later).
    expect(ms).toBeGreaterThan(2_000);
    expect(ms).toBeLessThan(10_000);
  });

  it("--json: the same events a program needs, the drop as connection events, completedVia polling", async () => {
    proxy = await startSocketCuttingProxy((await freshServer()).url, {
      afterEvent: "execution_start",
      refuseReconnect: true,
    });
    cleanup.push(() => proxy.close());
    const { code, out, err } = await run(["--server", proxy.url, "--json"]);
    expect(err).toBe("");
    expect(code).toBe(ExitCode.ok);
    const events = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    expect(events.find((e) => e.event === "connection")).toMatchObject({
      state: "reconnecting",
      reason: expect.stringMatching(/^WebSocket closed/),
    });
    expect(events.filter((e) => e.event === "output")).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ event: "result", completedVia: "polling" });
  });
});
