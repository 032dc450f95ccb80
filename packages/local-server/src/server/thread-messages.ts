import type { NodeCatalog } from "@comfy-ts/core";
import type { FingerprintResult, HistoryMessage, JobResult } from "../execution/executor.js";
import type { NodeResult, PreviewImage } from "../execution/node-impl.js";
import type { CacheEntry } from "../execution/output-cache.js";
import type { QueueItem } from "../queue/queue-item.js";
import type { PreviewMetadata } from "../ws/binary-frames.js";
import type { Target } from "../ws/socket-hub.js";

// The messages between the server's thread and its execution thread. Everything here crosses
// threads by structured clone: plain data, typed arrays, bigints; no functions or classes.

/** What the execution thread starts with. */
export interface ThreadData {
  readonly interrupt: SharedArrayBuffer;
  readonly dirs: { readonly input: string; readonly output: string; readonly temp: string };
}

/** Where a class of a job runs. */
export type ClassPlacement =
  /** A node of this package: the execution thread has its own copy. */
  | "thread"
  /** A node given to `startLocalServer` as an object: it runs on the server's thread. */
  | "server"
  /** A model node this server lists but cannot run. */
  | "listed";

export interface ClassPlan {
  readonly classType: string;
  readonly placement: ClassPlacement;
  readonly inputIsList: boolean;
}

/** A job for the execution thread. */
export interface JobRequest {
  readonly kind: "job";
  /** The queued job without its credentials (no node of this server reads them). */
  readonly item: Omit<QueueItem, "sensitive">;
  readonly classes: readonly ClassPlan[];
  /** The server's catalog, when it changed since the previous job (file combos follow the input folder). */
  readonly catalog: NodeCatalog | undefined;
  /** `IS_CHANGED` of the job's server-side nodes that have one, by node id, computed on the server's thread. */
  readonly fingerprints: Readonly<Record<string, FingerprintResult>>;
}

/** An error of a server-side node, as the executor reports it. */
export interface NodeErrorData {
  readonly interrupted: boolean;
  /** `NodeExecutionError`'s Python class, or the JS error's name. */
  readonly exceptionType: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** A reproduced Python exception (`NodeExecutionError`), not a bug. */
  readonly expected: boolean;
}

/** What a server-side node reports while it runs, relayed to the execution thread's reporter. */
export type NodeReport =
  | { readonly op: "progress"; readonly value: number; readonly max: number; readonly preview?: PreviewImage }
  | { readonly op: "progressText"; readonly text: string }
  | { readonly op: "previewImage"; readonly png: Uint8Array };

export type ToThread =
  | JobRequest
  /** `POST /free {"free_memory": true}` between jobs: drop the output cache. */
  | { readonly kind: "free" }
  | { readonly kind: "node-report"; readonly callId: number; readonly report: NodeReport }
  | {
      readonly kind: "node-result";
      readonly callId: number;
      readonly outcome: { ok: true; result: NodeResult } | { ok: false; error: NodeErrorData };
    };

/** One thing the execution thread did, replayed in order on the server's thread. */
export type ThreadEvent =
  /** A JSON message, serialized on the execution thread. */
  | { readonly op: "text"; readonly text: string; readonly target: Target }
  | { readonly op: "binary"; readonly frame: Uint8Array; readonly target: Target }
  | {
      readonly op: "preview";
      readonly preview: PreviewImage;
      readonly metadata: PreviewMetadata;
      readonly target: Target;
      readonly progress?: unknown;
    }
  | { readonly op: "recorded"; readonly message: HistoryMessage }
  | { readonly op: "fingerprinted"; readonly results: readonly (readonly [string, FingerprintResult])[] }
  | { readonly op: "started"; readonly nodeId: string }
  | {
      readonly op: "finished";
      readonly nodeId: string;
      readonly ui: CacheEntry["ui"];
      readonly cached: boolean;
    }
  | { readonly op: "log"; readonly level: "error" | "debug"; readonly message: string }
  /** Run a server-side node: the server answers with `node-result`. */
  | {
      readonly op: "run";
      readonly callId: number;
      readonly nodeId: string;
      readonly classType: string;
      readonly inputs: Record<string, unknown>;
    };

export type FromThread =
  | { readonly kind: "ready" }
  | { readonly kind: "events"; readonly events: readonly ThreadEvent[] }
  /** The job's last events, then its result. */
  | { readonly kind: "done"; readonly events: readonly ThreadEvent[]; readonly result: JobResult };
