import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { tsNodeArgs } from "@comfy-ts/test-support";

/** A local server running in a child process (its crash ends the process instead of a test runner's handler). */
export interface ChildServer {
  readonly url: string;
  readonly pid: number;
  /** Folders it serves: `<root>/input`, `<root>/output`, `<root>/temp`. */
  readonly root: string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** How the process ended, when it did. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** What it wrote on stderr (server errors it logged). */
  stderr(): string;
  /** Resident memory of the process in bytes (Linux `/proc`), or undefined elsewhere. */
  rss(): number | undefined;
  /** Closes the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Ends it at once, as a crash would (SIGKILL). */
  kill(): Promise<void>;
}

const SERVE = join(import.meta.dirname, "serve-child.ts");

/** Starts `serve-child.ts` with folders under `root`, working directory `cwd`; resolves once it listens. */
export async function startChildServer(root: string, cwd: string): Promise<ChildServer> {
  const dirs = ["input", "output", "temp"].map((d) => join(root, d));
  for (const dir of [...dirs, cwd]) await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [...tsNodeArgs(), SERVE, ...dirs], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      ended = { code, signal };
      resolve();
    }),
  );
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`the server did not start in 60 s; stderr: ${stderr}`)),
      60_000,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening (${JSON.stringify(ended)}); stderr: ${stderr}`));
    });
  });
  const pid = child.pid as number;
  return {
    url,
    pid,
    root,
    alive: () => ended === undefined,
    exit: () => ended,
    stderr: () => stderr,
    rss: () => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
        return kb === undefined ? undefined : Number(kb) * 1024;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (ended) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (ended) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
