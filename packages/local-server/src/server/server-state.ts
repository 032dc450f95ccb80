import type { DefinitionEnv } from "../execution/node-impl.js";
import type { NodeRegistry } from "../execution/node-registry.js";
import type { PromptValidator } from "../execution/prompt-validator.js";
import type { ServerDirs } from "../files/folders.js";
import type { HistoryStore } from "../history/history-store.js";
import type { PromptQueue } from "../queue/prompt-queue.js";
import type { SocketHub } from "../ws/socket-hub.js";
import type { JobRunner } from "./job-runner.js";

/** Pending `POST /free` flags, applied by the worker between jobs. */
export interface FreeFlags {
  unloadModels: boolean;
  freeMemory: boolean;
}

/** Everything the route handlers share. */
export interface ServerState {
  readonly dirs: ServerDirs;
  readonly registry: NodeRegistry;
  readonly definitionEnv: DefinitionEnv;
  readonly queue: PromptQueue;
  readonly history: HistoryStore;
  readonly hub: SocketHub;
  readonly runner: JobRunner;
  readonly validator: PromptValidator;
  readonly startedAt: number;
  readonly argv: readonly string[];
  /** ComfyUI's `self.number`: next default priority. */
  nextNumber: number;
  freeFlags: FreeFlags;
  /** `{exec_info: {queue_remaining}}`. */
  queueInfo(): { exec_info: { queue_remaining: number } };
}
