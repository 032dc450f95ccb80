// Ctrl-C in every way the CLI is launched: as a pnpm script, under the tsx CLI, and as one node
// process (the shape of the installed bin). Each is checked on the server: the job is gone from the
// queue and its history says it was interrupted; a finished job is never reported as interrupted.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { tsNodeArgs } from "@comfy-ts/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChildServer,
  startChildServer,
} from "../../../local-server/test/reliability/support/child-server.js";

const REPO = resolve(import.meta.dirname, "../../../..");
const BIN = join(REPO, "packages/cli/src/bin.ts");
const TSX = join(REPO, "node_modules/.bin/tsx");

let dir: string;
let server: ChildServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "comfy-ts-sigint-"));
  server = await startChildServer(join(dir, "server"), join(dir, "server-cwd"));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An API prompt whose middle node takes `ms`. */
async function promptFile(name: string, ms: number): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(
    path,
    JSON.stringify({
      "1": { class_type: "EmptyImage", inputs: { width: 8, height: 8, batch_size: 1, color: 0 } },
      "2": { class_type: "TestSleep", inputs: { image: ["1", 0], ms } },
      "3": { class_type: "SaveImage", inputs: { images: ["2", 0], filename_prefix: name } },
    }),
  );
  return path;
}

type Mode = "pnpm script" | "tsx CLI" | "one node process";

function launch(mode: Mode, args: string[]): ChildProcess {
  const env = { ...process.env, NO_COLOR: "1", COMFYUI_URL: "" };
  const [command, argv] =
    mode === "pnpm script"
      ? ["pnpm", ["comfy-ts", ...args]]
      : mode === "tsx CLI"
        ? [TSX, ["--conditions", "@comfy-ts/source", BIN, ...args]]
        : [process.execPath, [...tsNodeArgs(), BIN, ...args]];
  // Its own process group, as a terminal's foreground job: Ctrl-C is a SIGINT to the whole group.
  return spawn(command, argv, { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

function collect(child: ChildProcess): { out: () => string; exit: Promise<number | null> } {
  let out = "";
  child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
  const exit = new Promise<number | null>((done) =>
    child.once("exit", (code, signal) => done(code ?? (signal ? 128 : null))),
  );
  return { out: () => out, exit };
}

async function json<T>(path: string): Promise<T> {
  return (await (await fetch(`${server.url}${path}`)).json()) as T;
}

interface QueueState {
  queue_running: [number, string][];
  queue_pending: [number, string][];
}

/** Waits until a prompt is running on the server; returns its id. */
async function runningPromptId(seconds: number): Promise<string> {
  for (let i = 0; i < seconds * 10; i++) {
    const queue = await json<QueueState>("/queue");
    const id = queue.queue_running[0]?.[1];
    if (id) {
      // Let its sleeping node start.
      await new Promise((r) => setTimeout(r, 300));
      return id;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no job started within ${seconds} s`);
}

async function historyOf(
  id: string,
): Promise<{ status: { status_str: string; messages: [string, unknown][] } } | undefined> {
  const history = await json<
    Record<string, { status: { status_str: string; messages: [string, unknown][] } }>
  >(`/history/${id}`);
  return history[id];
}

async function queueEmpty(): Promise<boolean> {
  const queue = await json<QueueState>("/queue");
  return queue.queue_running.length + queue.queue_pending.length === 0;
}

describe("Ctrl-C cancels the job on the server in every launch mode", () => {
  it.each<[Mode, number]>([
    ["pnpm script", 1],
    ["tsx CLI", 1],
    ["one node process", 1],
    ["tsx CLI", 2],
    ["pnpm script", 3],
  ])(
    "%s, Ctrl-C pressed %i time(s) at once: exit 130, the job interrupted on the server",
    async (mode, presses) => {
      const file = await promptFile(`sigint-${mode.replaceAll(" ", "-")}-${presses}`, 60_000);
      const child = launch(mode, ["run", file, "--server", server.url, "--out", join(dir, "out")]);
      const { out, exit } = collect(child);
      const id = await runningPromptId(90);
      const pressedAt = Date.now();
      for (let i = 0; i < presses; i++) {
        process.kill(-(child.pid as number), "SIGINT");
        await new Promise((r) => setTimeout(r, 30));
      }
      const code = await exit;
      expect(code, out()).toBe(130);
      // Bounded by the client's interrupt bound (10 s), on a loaded machine.
      expect(Date.now() - pressedAt).toBeLessThan(15_000);
      expect(await queueEmpty()).toBe(true);
      const entry = await historyOf(id);
      expect(entry?.status.messages.map(([type]) => type)).toContain("execution_interrupted");
    },
    180_000,
  );

  it("a SIGINT to the pnpm process alone does not turn a finished run into 130: exit 0 with the result", async () => {
    const file = await promptFile("sigint-pnpm-alone", 3_000);
    const child = launch("pnpm script", [
      "run",
      file,
      "--server",
      server.url,
      "--out",
      join(dir, "out"),
      "--json",
    ]);
    const { out, exit } = collect(child);
    const id = await runningPromptId(90);
    process.kill(child.pid as number, "SIGINT");
    const code = await exit;
    expect(code, out()).toBe(0);
    expect(out()).toContain('"event":"result"');
    const entry = await historyOf(id);
    expect(entry?.status.status_str).toBe("success");
  }, 180_000);
});
