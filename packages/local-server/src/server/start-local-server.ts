import { rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ComfyError } from "@comfy-ts/core";
import { createCoreValidator } from "../execution/core-validator.js";
import type { DefinitionEnv, ListedOnlyNode, NodeImpl } from "../execution/node-impl.js";
import { NodeRegistry } from "../execution/node-registry.js";
import type { PromptValidator } from "../execution/prompt-validator.js";
import { listFiles, resolveDirs, type ServerDirs } from "../files/folders.js";
import { mergeMask, viewTransform } from "../files/image-transforms.js";
import { type MaskMerger, registerUploadRoutes } from "../files/upload-routes.js";
import { registerViewRoute, type ViewTransform } from "../files/view-route.js";
import { DEFAULT_MAX_HISTORY, HistoryStore } from "../history/history-store.js";
import { registerFrontendRoutes } from "../http/frontend-routes.js";
import { registerInfoRoutes } from "../http/info-routes.js";
import { registerPromptRoutes } from "../http/prompt-routes.js";
import { Router } from "../http/router.js";
import { answerAsPlainRequest } from "../http/upgrade-request.js";
import { listedOnlyNodes, nodeImpls } from "../nodes/index.js";
import { PromptQueue } from "../queue/prompt-queue.js";
import { SocketHub } from "../ws/socket-hub.js";
import { InProcessRunner } from "./in-process-runner.js";
import type { JobRunner } from "./job-runner.js";
import { defaultMemoryLimit } from "./memory-limit.js";
import { runWorker } from "./prompt-worker.js";
import type { ServerState } from "./server-state.js";
import { ThreadRunner } from "./thread-runner.js";

/** Where the server writes what it has to say (default: nothing). */
export interface ServerLogger {
  info(message: string): void;
  error(message: string): void;
  /** Details for debugging the server itself, e.g. the JS stack of each node failure. */
  debug?(message: string): void;
}

export interface LocalServerOptions {
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: a free port chosen by the OS). */
  readonly port?: number;
  /** Folders; each defaults to a fresh folder under one temporary base that `close()` deletes. */
  readonly inputDir?: string;
  readonly outputDir?: string;
  readonly tempDir?: string;
  /**
   * Node classes to run, and model classes to list only. Default: every model-free ComfyUI node this
   * package implements, and ComfyUI's model nodes (listed so graphs validate; running one fails).
   */
  readonly nodes?: readonly NodeImpl[];
  readonly listedOnlyNodes?: readonly ListedOnlyNode[];
  /** Validation of `POST /prompt` (default: `validatePromptRequest` of `src/validation` against this server's catalog). */
  readonly validator?: PromptValidator;
  /**
   * History bound (default 10 000, ComfyUI's). As in ComfyUI, the oldest entry is dropped only when
   * more than this many are kept, so up to `maxHistory + 1` entries are listed.
   */
  readonly maxHistory?: number;
  /** `/view?preview=&channel=` re-encoding and `/upload/mask` merging (defaults: PNG codecs of this package). */
  readonly viewTransform?: ViewTransform;
  readonly mergeMask?: MaskMerger;
  readonly logger?: ServerLogger;
  /** Shown as `system.argv` in `/system_stats`. */
  readonly argv?: readonly string[];
  /**
   * Where jobs run. `"thread"` (default): on an execution thread, so HTTP and `/ws` answer while a
   * node computes, `POST /interrupt` ends a job within a second and `memoryLimit` holds. Nodes of
   * this package run there; nodes passed in `nodes` as objects run on the server's thread (their
   * functions cannot cross threads), called by the execution thread with their inputs copied.
   * `"in-process"`: everything on the server's thread, as a debugger sees it; a long node delays
   * HTTP answers until it yields, and there is no memory limit.
   */
  readonly execution?: "thread" | "in-process";
  /**
   * Resident memory (bytes) a job may take the server process to: a job that goes past it ends
   * with an `execution_error` (`torch.OutOfMemoryError`, naming the node) and its memory is
   * returned. Default: half of the machine's memory (or of the container's limit). Thread
   * execution only.
   */
  readonly memoryLimit?: number;
}

/** A running local server. */
export interface LocalServer {
  /** `http://host:port` (no trailing slash). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly dirs: ServerDirs;
  /** Stops accepting requests, closes sockets, stops the worker, deletes temporary folders it made. */
  close(): Promise<void>;
}

const VERSION = "0.1.0";

/**
 * Starts a ComfyUI-compatible server (HTTP + `/ws`, queue, history, executor).
 *
 * @example
 * const server = await startLocalServer();
 * const res = await fetch(`${server.url}/object_info/EmptyImage`);
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const host = options.host ?? "127.0.0.1";
  const maxHistory = options.maxHistory ?? DEFAULT_MAX_HISTORY;
  if (!Number.isInteger(maxHistory) || maxHistory < 0) {
    throw new RangeError(`startLocalServer: maxHistory must be an integer ≥ 0, got ${maxHistory}`);
  }
  const execution = options.execution ?? "thread";
  if (execution !== "thread" && execution !== "in-process") {
    throw new LocalServerOptionError(
      `execution must be "thread" or "in-process", got ${JSON.stringify(execution)}`,
    );
  }
  if (options.memoryLimit !== undefined) {
    if (execution === "in-process") {
      throw new LocalServerOptionError(
        'memoryLimit needs execution "thread": a job on the server\'s own thread cannot be ended without the server',
      );
    }
    if (!Number.isFinite(options.memoryLimit) || options.memoryLimit <= 0) {
      throw new LocalServerOptionError(
        `memoryLimit must be a positive number of bytes, got ${String(options.memoryLimit)}`,
      );
    }
  }
  // Before any folder is made, so a duplicate class leaves nothing behind.
  const registry = new NodeRegistry(options.nodes ?? nodeImpls, options.listedOnlyNodes ?? listedOnlyNodes);
  // Every definition must read as an /object_info entry (throws NodeDefinitionError naming the class).
  registry.catalog({ inputFiles: () => [] });
  const { dirs, ownedBase } = await resolveDirs(options);
  const definitionEnv: DefinitionEnv = { inputFiles: () => listFiles(dirs.input) };
  const logger = options.logger;

  // The hub and queue need the state and the state needs them: wire through late-bound closures.
  let state: ServerState | undefined;
  const hub = new SocketHub((sid) => {
    const running = state?.runner.running;
    return {
      status: state?.queueInfo() ?? { exec_info: { queue_remaining: 0 } },
      executingNode: running && running.clientId === sid ? running.nodeId : undefined,
    };
  });
  const queue = new PromptQueue(() => {
    if (state) hub.send("status", { status: state.queueInfo() }, null);
  });
  const runnerOptions = {
    registry,
    definitionEnv,
    hub,
    dirs,
    log: (m: string) => logger?.error(m),
    debug: (m: string) => logger?.debug?.(m),
  };
  const runner: JobRunner =
    execution === "thread"
      ? new ThreadRunner({
          ...runnerOptions,
          memoryLimit: options.memoryLimit ?? defaultMemoryLimit(),
          threadClasses: new Set(nodeImpls),
        })
      : new InProcessRunner(runnerOptions);
  state = {
    dirs,
    registry,
    definitionEnv,
    queue,
    history: new HistoryStore(maxHistory),
    hub,
    runner,
    validator: options.validator ?? createCoreValidator(registry, definitionEnv, dirs),
    startedAt: Date.now(),
    argv: options.argv ?? ["comfy-ts", "serve"],
    nextNumber: 0,
    freeFlags: { unloadModels: false, freeMemory: false },
    queueInfo: () => ({ exec_info: { queue_remaining: queue.remaining } }),
  };

  const router = new Router();
  registerPromptRoutes(router, state);
  registerInfoRoutes(router, state, VERSION);
  registerViewRoute(router, state, options.viewTransform ?? viewTransform);
  registerUploadRoutes(router, state, options.mergeMask ?? mergeMask);
  registerFrontendRoutes(router);

  const handleRequest = (req: IncomingMessage, res: ServerResponse) => {
    const onError = (error: unknown) =>
      logger?.error(`request ${req.method} ${req.url} failed: ${describe(error)}`);
    // A rejection here would end the process (Node's default for unhandled rejections): never let one out.
    router.handle(req, res, onError).catch((error: unknown) => {
      onError(error);
      res.destroy();
    });
  };
  const server = createServer(handleRequest);
  server.on("upgrade", (req, socket, head) => {
    // Node hands the raw socket over without an error listener: a client's reset would crash the process.
    socket.on("error", () => {});
    if (!hub.handleUpgrade(req, socket, head)) answerAsPlainRequest(req, socket, head, handleRequest);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    // Could not listen (port taken, no permission): leave nothing behind.
    await hub.close();
    if (ownedBase) await rm(ownedBase, { recursive: true, force: true });
    throw error;
  }
  // Errors of the listening socket itself (e.g. too many open files while accepting) must not end the process.
  server.on("error", (error) => logger?.error(`server error: ${describe(error)}`));
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;

  runner.warmUp();
  const stop = new AbortController();
  const worker = runWorker(
    state,
    stop.signal,
    (error) => logger?.error(`job failed: ${describe(error)}`),
    (message) => logger?.info(message),
  );
  logger?.info(`comfy-ts local server listening on http://${urlHost}:${port}`);

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    dirs,
    close() {
      closed ??= (async () => {
        stop.abort();
        queue.wakeAll();
        await runner.close();
        await hub.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await worker;
        if (ownedBase) await rm(ownedBase, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/** An option of `startLocalServer` is invalid (the message says which and why). */
export class LocalServerOptionError extends ComfyError {
  constructor(message: string) {
    super("LOCAL_SERVER_OPTION", `startLocalServer: ${message}`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
