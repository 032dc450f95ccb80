import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ComfyError } from "@comfy-ts/core";
import type { FromThread, ThreadData } from "./thread-messages.js";

/** The execution thread could not start (see the message and `cause`). */
export class ExecutionThreadStartError extends ComfyError {
  constructor(message: string, options?: ErrorOptions) {
    super("LOCAL_SERVER_THREAD_START", message, options);
  }
}

/**
 * Starts the execution thread; `ready` resolves once it has loaded its nodes (and rejects when it
 * fails or is terminated before).
 *
 * Built (`dist/*.js`), the thread runs `execution-thread.js` beside this file. From the TypeScript
 * sources (this repository's tests and scripts, through the `@comfy-ts/source` condition) no
 * loader of the parent applies to a worker thread: the thread registers tsx itself and resolves
 * workspace packages to their sources, as the parent does.
 *
 * @throws {ExecutionThreadStartError} when the sources cannot be loaded (no tsx).
 */
export function spawnExecutionThread(data: ThreadData): { worker: Worker; ready: Promise<void> } {
  const here = import.meta.url;
  let worker: Worker;
  if (here.endsWith(".ts")) {
    let tsx: string;
    try {
      tsx = tsxEsmApi(here);
    } catch (error) {
      throw new ExecutionThreadStartError(
        "@comfy-ts/local-server runs from its TypeScript sources here, and its execution thread needs " +
          "tsx to load them: install tsx, or use the built package (dist).",
        { cause: error },
      );
    }
    const entry = new URL("./execution-thread.ts", here).href;
    const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
    worker = new Worker(bootstrap, {
      eval: true,
      workerData: data,
      execArgv: ["--conditions=@comfy-ts/source"],
    });
  } else {
    worker = new Worker(new URL("./execution-thread.js", here), { workerData: data });
  }
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromThread) => {
      if (message.kind !== "ready") return;
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new ExecutionThreadStartError(
          `the local server's execution thread failed to start: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    };
    const onExit = (code: number) => {
      cleanup();
      reject(
        new ExecutionThreadStartError(
          `the local server's execution thread exited with code ${code} while starting`,
        ),
      );
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
    worker.once("exit", onExit);
  });
  return { worker, ready };
}

/** The ESM entry of tsx's `tsx/esm/api` (its `import` export), resolved from `from`. */
function tsxEsmApi(from: string): string {
  const manifest = createRequire(from).resolve("tsx/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports?: Record<string, { import?: { default?: string } } | undefined>;
  };
  const entry = exports?.["./esm/api"]?.import?.default;
  if (entry === undefined) throw new Error(`tsx at ${manifest} has no "./esm/api" import entry`);
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
