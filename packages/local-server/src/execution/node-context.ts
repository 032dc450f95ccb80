import type { NodeCatalog } from "@comfy-ts/core";
import type { InterruptFlag } from "./interrupt-flag.js";
import type { NodeContext, PreviewImage } from "./node-impl.js";

/** Where a running node's progress, text and previews go (the job's WebSocket messages). */
export interface NodeReporter {
  progress(value: number, max: number, preview?: PreviewImage): void;
  progressText(text: string): void;
  previewImage(png: Uint8Array): void;
}

/** What a node's context says about the node and its job. */
export interface NodeContextInfo {
  readonly nodeId: string;
  readonly promptId: string;
  /** The hidden `PROMPT` (see `NodeContext.prompt`), built when a node first reads it. */
  readonly prompt: () => Record<string, unknown>;
  readonly catalog: NodeCatalog;
  readonly extraData: Record<string, unknown>;
  readonly dirs: NodeContext["dirs"];
  readonly clientId: string | null;
}

const reporters = new WeakMap<NodeContext, NodeReporter>();

/**
 * The context a node runs with: `progress` checks the interrupt flag first (ComfyUI's progress
 * hook does), then reports.
 */
export function createNodeContext(
  info: NodeContextInfo,
  reporter: NodeReporter,
  interrupt: InterruptFlag,
): NodeContext {
  const extraPngInfo = info.extraData.extra_pnginfo;
  const ctx: NodeContext = {
    nodeId: info.nodeId,
    promptId: info.promptId,
    clientId: info.clientId,
    get prompt() {
      return info.prompt();
    },
    catalog: info.catalog,
    extraPngInfo:
      extraPngInfo !== null && typeof extraPngInfo === "object" && !Array.isArray(extraPngInfo)
        ? (extraPngInfo as Record<string, unknown>)
        : undefined,
    dirs: info.dirs,
    progress: (value, max, preview) => {
      interrupt.throwIfSet();
      reporter.progress(value, max, preview);
    },
    progressText: (text) => reporter.progressText(text),
    previewImage: (png) => reporter.previewImage(png),
    throwIfInterrupted: () => interrupt.throwIfSet(),
  };
  reporters.set(ctx, reporter);
  return ctx;
}

/**
 * The reporter behind a context, without the interrupt check: for a node that runs on another
 * thread and relays its reports, which that thread has already checked.
 */
export function reporterOf(ctx: NodeContext): NodeReporter | undefined {
  return reporters.get(ctx);
}
