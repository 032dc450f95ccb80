import { Executor, jobClientId, type NodeSource } from "../execution/executor.js";
import { InterruptFlag } from "../execution/interrupt-flag.js";
import type { DefinitionEnv } from "../execution/node-impl.js";
import type { NodeRegistry } from "../execution/node-registry.js";
import type { ServerDirs } from "../files/folders.js";
import type { QueueItem } from "../queue/queue-item.js";
import type { SocketHub } from "../ws/socket-hub.js";
import type { JobRunner } from "./job-runner.js";

export interface RunnerOptions {
  readonly registry: NodeRegistry;
  readonly definitionEnv: DefinitionEnv;
  readonly hub: SocketHub;
  readonly dirs: ServerDirs;
  readonly log: (message: string) => void;
  readonly debug: (message: string) => void;
}

/**
 * Runs jobs on the server's own thread: a long node delays HTTP answers until it yields (between
 * nodes and at each progress report, where interrupts are checked too). For debugging nodes and
 * for measuring what the execution thread costs.
 */
export class InProcessRunner implements JobRunner {
  readonly #interrupt = new InterruptFlag();
  readonly #executor: Executor;
  readonly #nodes: NodeSource;
  running: { clientId: string | null; nodeId: string | undefined } | undefined;

  constructor(options: RunnerOptions) {
    const { registry, definitionEnv, hub } = options;
    this.#nodes = {
      get: (classType) => registry.get(classType),
      catalog: () => registry.catalog(definitionEnv),
    };
    this.#executor = new Executor({
      events: {
        send: (type, data, target) => hub.send(type, data, target),
        sendBinary: (frame, target) => hub.sendBinary(frame, target),
        sendPreview: (preview, metadata, target, progress) =>
          hub.sendPreview(preview, metadata, target, progress),
        nodeStarted: (nodeId) => {
          if (this.running) this.running.nodeId = nodeId;
        },
      },
      dirs: options.dirs,
      interrupt: this.#interrupt,
      log: options.log,
      debug: options.debug,
    });
  }

  warmUp(): void {}

  async execute(item: QueueItem) {
    this.running = { clientId: jobClientId(item), nodeId: undefined };
    try {
      return await this.#executor.execute(item, this.#nodes);
    } finally {
      this.running = undefined;
    }
  }

  interrupt(): void {
    this.#interrupt.set();
  }

  freeMemory(): void {
    this.#executor.cache.clear();
  }

  async close(): Promise<void> {
    this.#interrupt.set();
  }
}
