import type { Worker } from "node:worker_threads";
import type { NodeCatalog } from "@comfy-ts/core";
import { InterruptedError } from "../execution/execution-errors.js";
import {
  type FingerprintResult,
  failureMessage,
  type HistoryMessage,
  isChangedEntries,
  type JobFailure,
  type JobResult,
  jobClientId,
  nodeFingerprint,
} from "../execution/executor.js";
import { heldPrompt } from "../execution/held-prompt.js";
import { InterruptFlag } from "../execution/interrupt-flag.js";
import { createNodeContext, type NodeReporter } from "../execution/node-context.js";
import { NodeExecutionError } from "../execution/node-impl.js";
import type { CacheEntry } from "../execution/output-cache.js";
import { pythonTraceback } from "../execution/python-traceback.js";
import type { NodeMeta } from "../history/history-store.js";
import type { QueueItem } from "../queue/queue-item.js";
import type { RunnerOptions } from "./in-process-runner.js";
import type { JobRunner } from "./job-runner.js";
import { formatBytes } from "./memory-limit.js";
import { spawnExecutionThread } from "./spawn-execution-thread.js";
import type {
  ClassPlan,
  FromThread,
  NodeErrorData,
  NodeReport,
  ThreadEvent,
  ToThread,
} from "./thread-messages.js";

/** How long an interrupted job may take to stop by itself before its thread is ended. */
export const INTERRUPT_GRACE_MS = 500;
/** How often the server's memory is checked while a job runs. */
const MEMORY_POLL_MS = 25;

export interface ThreadRunnerOptions extends RunnerOptions {
  /** The server process's resident memory a job may take it to, in bytes. */
  readonly memoryLimit: number;
  /** The classes of this package's own nodes, which the execution thread loads itself. */
  readonly threadClasses: ReadonlySet<unknown>;
}

interface RunningJob {
  readonly item: QueueItem;
  readonly clientId: string | null;
  readonly catalog: NodeCatalog;
  /** The `IS_CHANGED` results of the job's nodes (for the hidden `PROMPT` of server-side nodes). */
  fingerprints: ReadonlyMap<string, FingerprintResult>;
  readonly resolve: (result: JobResult) => void;
  /** What the thread reported so far, to end the job without it. */
  readonly messages: HistoryMessage[];
  readonly executed: string[];
  readonly ui: Map<string, NonNullable<CacheEntry["ui"]>>;
  nodeId: string | undefined;
  /** The memory checks, from when the thread has the job. */
  watchdog: NodeJS.Timeout | undefined;
  /** Armed by an interrupt: the thread is ended when it fires. */
  grace?: NodeJS.Timeout;
}

/**
 * Runs jobs on an execution thread, so that HTTP and `/ws` answer while a node computes.
 *
 * The thread keeps the output cache; this side keeps the queue, history and sockets, replays the
 * thread's messages to the sockets, and runs the nodes given to `startLocalServer` as objects
 * (functions cannot cross threads). `POST /interrupt` sets a flag in shared memory that nodes
 * check; a job that has not stopped `INTERRUPT_GRACE_MS` later, or that takes the process past
 * `memoryLimit`, is ended by ending its thread: its memory returns to the system at once, and the
 * output cache starts empty on the next thread (started right away). The job ends with ComfyUI's
 * `execution_interrupted` or an `execution_error` naming the node that was running.
 */
export class ThreadRunner implements JobRunner {
  readonly #interrupt = new InterruptFlag();
  #thread: Promise<Worker> | undefined;
  #worker: Worker | undefined;
  /** The thread being started (not ready yet). */
  #booting: Worker | undefined;
  /** The end of the previous thread, awaited before the next starts (its memory is returned). */
  #ending: Promise<unknown> = Promise.resolve();
  #job: RunningJob | undefined;
  /** The catalog the running thread has (it is sent again when it changes). */
  #threadCatalog: NodeCatalog | undefined;
  #closed = false;
  /** Counts thread starts and stops, so a start outlived by a stop knows it. */
  #generation = 0;

  constructor(private readonly options: ThreadRunnerOptions) {}

  get running(): { clientId: string | null; nodeId: string | undefined } | undefined {
    const job = this.#job;
    return job && { clientId: job.clientId, nodeId: job.nodeId };
  }

  execute(item: QueueItem): Promise<JobResult> {
    return new Promise<JobResult>((resolve) => {
      const job: RunningJob = {
        item,
        clientId: jobClientId(item),
        catalog: this.options.registry.catalog(this.options.definitionEnv),
        fingerprints: new Map(),
        resolve,
        messages: [],
        executed: [],
        ui: new Map(),
        nodeId: undefined,
        watchdog: undefined,
      };
      this.#job = job;
      void this.#dispatch(job);
    });
  }

  /** Hands the job to the thread once it is ready (an interrupt meanwhile ends it here). */
  async #dispatch(job: RunningJob): Promise<void> {
    const { item, catalog } = job;
    let worker: Worker;
    try {
      worker = await this.#start();
      if (this.#worker !== worker) throw new Error("the server is closing");
    } catch (error) {
      if (this.#job !== job) return;
      this.#settle(job);
      this.options.log(`job ${item.promptId} not run: ${describe(error)}`);
      job.resolve(this.#endWithoutThread(item, error));
      return;
    }
    if (this.#job !== job) return;
    if (job.grace) {
      this.#endInterruptedBeforeStart(job);
      return;
    }
    const request: ToThread = {
      kind: "job",
      catalog: catalog === this.#threadCatalog ? undefined : catalog,
      item: {
        number: item.number,
        promptId: item.promptId,
        prompt: item.prompt,
        extraData: item.extraData,
        outputsToExecute: item.outputsToExecute,
      },
      classes: this.#plan(item),
      fingerprints: this.#fingerprints(item, catalog),
    };
    this.#threadCatalog = catalog;
    job.watchdog = setInterval(() => this.#checkMemory(job), MEMORY_POLL_MS);
    worker.postMessage(request);
  }

  /** A job interrupted while its thread was starting ends without running. */
  #endInterruptedBeforeStart(job: RunningJob): void {
    this.#settle(job);
    const { item, clientId } = job;
    const { event, data, broadcast } = failureMessage(
      { kind: "interrupted", nodeId: blamedNode(job) },
      item,
      [],
    );
    const messages: HistoryMessage[] = [
      ["execution_start", { prompt_id: item.promptId, timestamp: Date.now() }],
      [event, { ...data, timestamp: Date.now() }],
    ];
    if (clientId !== null) this.options.hub.send("execution_start", messages[0]?.[1], clientId);
    if (clientId !== null || broadcast) this.options.hub.send(event, messages[1]?.[1], clientId);
    job.resolve({ success: false, messages, outputs: {}, meta: {} });
  }

  interrupt(): void {
    this.#interrupt.set();
    const job = this.#job;
    if (!job || job.grace) return;
    job.grace = setTimeout(() => {
      if (this.#job !== job) return;
      if (job.watchdog === undefined) this.#endInterruptedBeforeStart(job);
      else this.#endJob(job, { kind: "interrupted", nodeId: blamedNode(job) });
    }, INTERRUPT_GRACE_MS);
  }

  freeMemory(): void {
    this.#worker?.postMessage({ kind: "free" } satisfies ToThread);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const job = this.#job;
    if (job?.watchdog === undefined && job) this.#endInterruptedBeforeStart(job);
    else if (job) this.#endJob(job, { kind: "interrupted", nodeId: blamedNode(job) });
    this.#stopThread();
    await this.#ending;
  }

  /** Starts the thread ahead of the first job (a failure shows again at that job). */
  warmUp(): void {
    this.#start().catch(() => {});
  }

  /** The running thread, or a new one once the previous has ended. */
  #start(): Promise<Worker> {
    if (this.#thread) return this.#thread;
    const generation = ++this.#generation;
    const boot = (async () => {
      await this.#ending;
      if (this.#generation !== generation)
        throw new Error("the execution thread was stopped while it started");
      const { worker, ready } = spawnExecutionThread({
        interrupt: this.#interrupt.buffer,
        dirs: this.options.dirs,
      });
      worker.unref();
      this.#booting = worker;
      try {
        await ready;
      } finally {
        if (this.#booting === worker) this.#booting = undefined;
      }
      // Stopped while it started: the stop ended it.
      if (this.#generation !== generation)
        throw new Error("the execution thread was stopped while it started");
      worker.on("message", (message: FromThread) => {
        if (this.#worker === worker) this.#onMessage(message);
      });
      worker.on("error", (error) => {
        if (this.#worker === worker) this.#onThreadLost(`failed: ${describe(error)}`, error);
      });
      worker.on("exit", (code) => {
        if (this.#worker === worker) this.#onThreadLost(`exited with code ${code}`, undefined);
      });
      this.#worker = worker;
      this.#threadCatalog = undefined;
      return worker;
    })();
    this.#thread = boot;
    boot.catch(() => {
      if (this.#thread === boot) this.#thread = undefined;
    });
    return boot;
  }

  /** Ends the thread (running or starting); the next `#start()` waits for its end. */
  #stopThread(): void {
    const worker = this.#worker ?? this.#booting;
    this.#generation++;
    this.#thread = undefined;
    this.#worker = undefined;
    this.#booting = undefined;
    if (worker) this.#ending = worker.terminate();
  }

  /** Where each class of the job runs. */
  #plan(item: QueueItem): ClassPlan[] {
    const { registry, threadClasses } = this.options;
    const plans = new Map<string, ClassPlan>();
    for (const node of Object.values(item.prompt)) {
      const classType = node.class_type;
      const entry = registry.get(classType);
      if (plans.has(classType) || !entry) continue;
      plans.set(classType, {
        classType,
        placement: entry.kind === "listed" ? "listed" : threadClasses.has(entry.impl) ? "thread" : "server",
        inputIsList: entry.kind === "runnable" && entry.impl.inputIsList === true,
      });
    }
    return [...plans.values()];
  }

  /** `IS_CHANGED` of the job's server-side nodes (their functions are here). */
  #fingerprints(item: QueueItem, catalog: NodeCatalog): Record<string, FingerprintResult> {
    const fingerprints: Record<string, FingerprintResult> = {};
    for (const [nodeId, node] of Object.entries(item.prompt)) {
      const entry = this.options.registry.get(node.class_type);
      if (entry?.kind !== "runnable" || !entry.impl.fingerprint || this.options.threadClasses.has(entry.impl))
        continue;
      const ctx = this.#context(item, nodeId, catalog, new Map(), SILENT);
      fingerprints[nodeId] = nodeFingerprint(entry.impl, node.inputs, ctx);
    }
    return fingerprints;
  }

  /** The context of a node of `item` that runs on this thread. */
  #context(
    item: QueueItem,
    nodeId: string,
    catalog: NodeCatalog,
    fingerprints: ReadonlyMap<string, FingerprintResult>,
    reporter: NodeReporter,
  ) {
    let held: Record<string, unknown> | undefined;
    return createNodeContext(
      {
        nodeId,
        promptId: item.promptId,
        prompt: () => {
          const built = held ?? heldPrompt(item.prompt, catalog, isChangedEntries(fingerprints));
          held = built;
          return built;
        },
        catalog,
        extraData: item.extraData,
        dirs: this.options.dirs,
        clientId: jobClientId(item),
      },
      reporter,
      this.#interrupt,
    );
  }

  #onMessage(message: FromThread): void {
    const job = this.#job;
    if (message.kind === "ready") return;
    for (const event of message.events) this.#replay(event, job);
    if (message.kind === "done" && job) {
      this.#settle(job);
      job.resolve(message.result);
    }
  }

  #replay(event: ThreadEvent, job: RunningJob | undefined): void {
    const { hub } = this.options;
    switch (event.op) {
      case "text":
        hub.sendText(event.text, event.target);
        break;
      case "binary":
        hub.sendBinary(
          Buffer.from(event.frame.buffer, event.frame.byteOffset, event.frame.byteLength),
          event.target,
        );
        break;
      case "preview":
        hub.sendPreview(event.preview, event.metadata, event.target, event.progress);
        break;
      case "fingerprinted":
        if (job) job.fingerprints = new Map(event.results);
        break;
      case "recorded":
        job?.messages.push(event.message);
        break;
      case "started":
        if (job) job.nodeId = event.nodeId;
        break;
      case "finished":
        if (!event.cached) job?.executed.push(event.nodeId);
        if (event.ui) job?.ui.set(event.nodeId, event.ui);
        break;
      case "log":
        if (event.level === "error") this.options.log(event.message);
        else this.options.debug(event.message);
        break;
      case "run":
        if (job) void this.#runServerSide(job, event);
        break;
    }
  }

  /** Runs a node given as an object on this thread, relaying its reports to the execution thread. */
  async #runServerSide(job: RunningJob, call: Extract<ThreadEvent, { op: "run" }>): Promise<void> {
    const worker = this.#worker;
    const send = (message: ToThread) => {
      if (this.#worker === worker && this.#job === job) worker?.postMessage(message);
    };
    const relay = (report: NodeReport) => send({ kind: "node-report", callId: call.callId, report });
    const reporter: NodeReporter = {
      progress: (value, max, preview) =>
        relay({ op: "progress", value, max, ...(preview ? { preview } : {}) }),
      progressText: (text) => relay({ op: "progressText", text }),
      previewImage: (png) => relay({ op: "previewImage", png }),
    };
    const entry = this.options.registry.get(call.classType);
    try {
      if (entry?.kind !== "runnable") throw new NodeExecutionError("KeyError", `'${call.classType}'`);
      const ctx = this.#context(job.item, call.nodeId, job.catalog, job.fingerprints, reporter);
      const result = await entry.impl.execute(call.inputs, ctx);
      try {
        send({ kind: "node-result", callId: call.callId, outcome: { ok: true, result } });
      } catch (error) {
        // A value structured clone cannot copy (a function, a class instance with private state).
        throw new NodeExecutionError(
          "TypeError",
          `the outputs of ${call.classType} cannot be passed to the local server's execution thread: ${describe(error)}`,
        );
      }
    } catch (error) {
      send({ kind: "node-result", callId: call.callId, outcome: { ok: false, error: errorData(error) } });
    }
  }

  #checkMemory(job: RunningJob): void {
    const rss = process.memoryUsage.rss();
    const limit = this.options.memoryLimit;
    if (rss <= limit || this.#job !== job) return;
    const nodeId = blamedNode(job);
    const classType = job.item.prompt[nodeId]?.class_type ?? "";
    const reason = `Not enough memory: node ${nodeId} (${classType}) took the comfy-ts local server to ${formatBytes(rss)}, past its memory limit of ${formatBytes(limit)}.`;
    const tips =
      "This error means the job needed more memory than the local server may use.\n\n" +
      "TIPS: make the job smaller (image sizes, batch_size), or raise the limit: " +
      "startLocalServer({ memoryLimit }) or comfy-ts serve --memory-limit.";
    this.options.log(`prompt ${job.item.promptId}: ${reason}`);
    this.#endJob(job, {
      kind: "error",
      nodeId,
      exceptionType: "torch.OutOfMemoryError",
      exceptionMessage: `${reason}\n${tips}`,
      traceback: pythonTraceback({ classType, exceptionType: "torch.OutOfMemoryError", message: reason }),
      currentInputs: {},
    });
  }

  /** The thread died (a JS heap out of memory, a bug): the running job fails on its node. */
  #onThreadLost(what: string, error: unknown): void {
    const job = this.#job;
    this.#stopThread();
    if (this.#closed) return;
    this.options.log(`the local server's execution thread ${what}`);
    if (!job) return;
    const nodeId = blamedNode(job);
    const classType = job.item.prompt[nodeId]?.class_type ?? "";
    const outOfMemory = (error as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
    const exceptionType = outOfMemory ? "torch.OutOfMemoryError" : "RuntimeError";
    const message = outOfMemory
      ? `Not enough memory: node ${nodeId} (${classType}) filled the JavaScript heap of the comfy-ts local server's execution thread.`
      : `the comfy-ts local server's execution thread ${what} while node ${nodeId} (${classType}) ran; this is a bug of the local server`;
    this.#endJob(job, {
      kind: "error",
      nodeId,
      exceptionType,
      exceptionMessage: `${message}\n`,
      traceback: pythonTraceback({ classType, exceptionType, message }),
      currentInputs: {},
    });
  }

  /** Ends a job without its thread: the thread ends (with the output cache), a new one starts. */
  #endJob(job: RunningJob, failure: JobFailure): void {
    this.#settle(job);
    this.#stopThread();
    const { event, data, broadcast } = failureMessage(failure, job.item, job.executed);
    const message: HistoryMessage = [event, { ...data, timestamp: Date.now() }];
    if (job.clientId !== null || broadcast) this.options.hub.send(event, message[1], job.clientId);
    const outputs: Record<string, Record<string, unknown[]>> = {};
    const meta: Record<string, NodeMeta> = {};
    for (const [nodeId, ui] of job.ui) {
      outputs[nodeId] = ui.output;
      meta[nodeId] = ui.meta;
    }
    job.resolve({ success: false, messages: [...job.messages, message], outputs, meta });
    if (!this.#closed) this.#start().catch(() => {});
  }

  /** A job that could not reach a thread fails on its first output node. */
  #endWithoutThread(item: QueueItem, error: unknown): JobResult {
    const nodeId = item.outputsToExecute[0] ?? Object.keys(item.prompt)[0] ?? "";
    const classType = item.prompt[nodeId]?.class_type ?? "";
    const message = `the comfy-ts local server could not start its execution thread: ${error instanceof Error ? error.message : String(error)}`;
    const { event, data } = failureMessage(
      {
        kind: "error",
        nodeId,
        exceptionType: "RuntimeError",
        exceptionMessage: `${message}\n`,
        traceback: pythonTraceback({ classType, exceptionType: "RuntimeError", message }),
        currentInputs: {},
      },
      item,
      [],
    );
    const clientId = jobClientId(item);
    const stamped: HistoryMessage[] = [
      ["execution_start", { prompt_id: item.promptId, timestamp: Date.now() }],
      [event, { ...data, timestamp: Date.now() }],
    ];
    if (clientId !== null)
      for (const [type, payload] of stamped) this.options.hub.send(type, payload, clientId);
    return { success: false, messages: stamped, outputs: {}, meta: {} };
  }

  #settle(job: RunningJob): void {
    clearInterval(job.watchdog);
    clearTimeout(job.grace);
    if (this.#job === job) this.#job = undefined;
  }
}

const SILENT: NodeReporter = { progress: () => {}, progressText: () => {}, previewImage: () => {} };

/** The node a job ended from outside is blamed on: the running one, else its first output. */
function blamedNode(job: RunningJob): string {
  return job.nodeId ?? job.item.outputsToExecute[0] ?? Object.keys(job.item.prompt)[0] ?? "";
}

function errorData(error: unknown): NodeErrorData {
  return {
    interrupted: error instanceof InterruptedError,
    exceptionType:
      error instanceof NodeExecutionError
        ? error.exceptionType
        : error instanceof Error
          ? error.name || "Exception"
          : "Exception",
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
    expected: error instanceof NodeExecutionError,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
