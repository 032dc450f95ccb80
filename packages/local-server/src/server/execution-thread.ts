// The execution thread: runs jobs for the server's thread (see thread-runner.ts), which keeps
// answering HTTP and WebSocket requests meanwhile. Entry point of a worker thread.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parentPort, workerData } from "node:worker_threads";
import { type NodeCatalog, stringifyJsonLossless } from "@comfy-ts/core";
import { InterruptedError } from "../execution/execution-errors.js";
import {
  type ExecutionEvents,
  Executor,
  type FingerprintResult,
  type NodeSource,
} from "../execution/executor.js";
import { InterruptFlag } from "../execution/interrupt-flag.js";
import { type NodeReporter, reporterOf } from "../execution/node-context.js";
import { NodeExecutionError, type NodeImpl, type NodeResult } from "../execution/node-impl.js";
import type { RegisteredNode } from "../execution/node-registry.js";
import { nodeImpls } from "../nodes/index.js";
import type {
  ClassPlan,
  FromThread,
  JobRequest,
  NodeErrorData,
  ThreadData,
  ThreadEvent,
  ToThread,
} from "./thread-messages.js";

const port = parentPort;
if (!port) throw new Error("execution-thread.ts runs as a worker thread of the local server");
const data = workerData as ThreadData;
const post = (message: FromThread) => port.postMessage(message);

/** Size of the thread's array buffers above which a finished job is followed by a full GC. */
const COLLECT_ABOVE_BYTES = 64 * 1024 * 1024;

/**
 * Events wait here and cross to the server's thread in batches: before each node runs (so its
 * `executing` is out before a long node starts), with every progress report, and at the end of
 * the job.
 */
let pending: ThreadEvent[] = [];
const queue = (event: ThreadEvent) => pending.push(event);
const flush = () => {
  if (pending.length === 0) return;
  post({ kind: "events", events: pending });
  pending = [];
};

const events: ExecutionEvents = {
  send(type, payload, target) {
    queue({ op: "text", text: stringifyJsonLossless({ type, data: payload }), target });
    if (type === "progress") flush();
  },
  sendBinary(frame, target) {
    queue({ op: "binary", frame, target });
    flush();
  },
  sendPreview(preview, metadata, target, progress) {
    queue({ op: "preview", preview, metadata, target, ...(progress === undefined ? {} : { progress }) });
    flush();
  },
  fingerprinted: (results) => queue({ op: "fingerprinted", results: [...results] }),
  recorded: (message) => queue({ op: "recorded", message }),
  nodeStarted(nodeId) {
    queue({ op: "started", nodeId });
    flush();
  },
  nodeFinished: (nodeId, ui, cached) => queue({ op: "finished", nodeId, ui, cached }),
};

const interrupt = new InterruptFlag(data.interrupt);
const executor = new Executor({
  events,
  dirs: data.dirs,
  interrupt,
  log: (message) => queue({ op: "log", level: "error", message }),
  debug: (message) => queue({ op: "log", level: "debug", message }),
});
const builtins = new Map(nodeImpls.map((impl) => [impl.classType, impl]));

/** Calls of server-side nodes waiting for their result. */
const calls = new Map<
  number,
  { resolve: (r: NodeResult) => void; reject: (e: unknown) => void; reporter: NodeReporter | undefined }
>();
let nextCallId = 0;

/** A node that runs on the server's thread: its calls and reports cross the thread boundary. */
function serverSideNode(
  plan: ClassPlan,
  fingerprints: Readonly<Record<string, FingerprintResult>>,
): NodeImpl {
  return {
    classType: plan.classType,
    inputIsList: plan.inputIsList,
    define: () => {
      throw new Error(`${plan.classType} is defined on the server's thread`);
    },
    fingerprint: (_literals, ctx) => {
      const result = fingerprints[ctx.nodeId] ?? { value: false };
      if ("threw" in result) throw new Error(`IS_CHANGED of node ${ctx.nodeId} raised`);
      return result.value;
    },
    execute: (inputs, ctx) =>
      new Promise<NodeResult>((resolve, reject) => {
        const callId = nextCallId++;
        calls.set(callId, { resolve, reject, reporter: reporterOf(ctx) });
        queue({ op: "run", callId, nodeId: ctx.nodeId, classType: plan.classType, inputs });
        flush();
      }),
  };
}

/** The server's catalog, as the last job that changed it sent it. */
let catalog: NodeCatalog = { nodes: new Map(), problems: [] };

function jobNodes(job: JobRequest): NodeSource {
  if (job.catalog) catalog = job.catalog;
  const classes = new Map<string, RegisteredNode>();
  for (const plan of job.classes) {
    let entry: RegisteredNode;
    if (plan.placement === "listed") {
      entry = {
        kind: "listed",
        node: {
          classType: plan.classType,
          define: () => {
            throw new Error(`${plan.classType} is defined on the server's thread`);
          },
        },
      };
    } else {
      const impl =
        plan.placement === "thread" ? builtins.get(plan.classType) : serverSideNode(plan, job.fingerprints);
      if (!impl) throw new Error(`the execution thread has no node class "${plan.classType}"`);
      entry = { kind: "runnable", impl };
    }
    classes.set(plan.classType, entry);
  }
  const jobCatalog = catalog;
  return { get: (classType) => classes.get(classType), catalog: () => jobCatalog };
}

function nodeError(error: NodeErrorData): Error {
  if (error.interrupted) return new InterruptedError();
  const rebuilt = error.expected
    ? new NodeExecutionError(error.exceptionType, error.message)
    : Object.assign(new Error(error.message), { name: error.exceptionType });
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}

/** A full garbage collection, so the memory of a big job goes back to the system at once. */
const collectGarbage: () => void = (() => {
  setFlagsFromString("--expose-gc");
  const gc: unknown = runInNewContext("gc");
  return typeof gc === "function" ? () => gc() : () => {};
})();

async function runJob(job: JobRequest): Promise<void> {
  const result = await executor.execute({ ...job.item, sensitive: {} }, jobNodes(job));
  post({ kind: "done", events: pending, result });
  pending = [];
  if (process.memoryUsage().arrayBuffers > COLLECT_ABOVE_BYTES) collectGarbage();
}

port.on("message", (message: ToThread) => {
  switch (message.kind) {
    case "job":
      // A failure here is a bug of the executor: the unhandled rejection ends the thread, and the
      // server's thread reports it as the job's error.
      void runJob(message);
      break;
    case "free":
      executor.cache.clear();
      collectGarbage();
      break;
    case "node-report": {
      const reporter = calls.get(message.callId)?.reporter;
      const { report } = message;
      if (report.op === "progress") reporter?.progress(report.value, report.max, report.preview);
      else if (report.op === "progressText") reporter?.progressText(report.text);
      else reporter?.previewImage(report.png);
      break;
    }
    case "node-result": {
      const call = calls.get(message.callId);
      calls.delete(message.callId);
      if (message.outcome.ok) call?.resolve(message.outcome.result);
      else call?.reject(nodeError(message.outcome.error));
      break;
    }
  }
});
post({ kind: "ready" });
