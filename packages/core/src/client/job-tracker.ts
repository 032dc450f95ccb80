import type { ComfyEvent } from "./ws-events.js";
import { eventPromptId } from "./ws-events.js";

/** What a run reports while it goes. Every event names the prompt. */
export type RunProgressEvent =
  | {
      readonly type: "submitted";
      readonly promptId: string;
      readonly number: number | undefined;
      readonly nodeCount: number;
    }
  | { readonly type: "started"; readonly promptId: string }
  | { readonly type: "cached"; readonly promptId: string; readonly nodes: readonly string[] }
  | {
      readonly type: "node";
      readonly promptId: string;
      readonly nodeId: string;
      readonly classType: string | undefined;
    }
  | {
      readonly type: "step";
      readonly promptId: string;
      readonly nodeId: string | undefined;
      readonly value: number;
      readonly max: number;
    }
  | {
      readonly type: "executed";
      readonly promptId: string;
      readonly nodeId: string;
      readonly output: Record<string, unknown> | null;
    }
  | {
      readonly type: "preview";
      readonly promptId: string;
      readonly nodeId: string | undefined;
      readonly mimeType: string;
      readonly image: Uint8Array;
    }
  | { readonly type: "text"; readonly promptId: string; readonly nodeId: string; readonly text: string }
  | {
      readonly type: "connection";
      readonly promptId: string;
      readonly state: "open" | "reconnecting" | "failed" | "closed" | "polling";
      readonly attempt: number;
      /** Why the socket is not open (the connect or close error), when known. */
      readonly reason?: string;
    }
  | { readonly type: "done"; readonly promptId: string; readonly via: "websocket" | "polling" };

type Emit = (event: RunProgressEvent) => void;

/**
 * Follows one job through the socket's events: start, cached and executed nodes, progress, and the
 * done signal (`executing` with `node: null`). Events that arrive before the server confirms the
 * prompt id are buffered and replayed on `confirm()`.
 */
export class JobTracker {
  promptId: string;
  confirmed = false;
  started = false;
  done = false;
  /** True if the socket was down at any moment between submit and done (events may be missing). */
  gap = false;
  readonly cached = new Set<string>();
  readonly executed: string[] = [];
  /** `execution_success` was seen. */
  succeeded = false;
  /** Something the socket alone cannot describe exactly (expanded nodes, errors): read /history. */
  irregular = false;
  /** Server timestamps of `execution_start` / `execution_success`. */
  startedAt: number | undefined;
  finishedAt: number | undefined;
  /** UI outputs from `executed` events (also re-sent for cached output nodes), by display node id. */
  readonly outputs: Record<string, Record<string, unknown> | null> = {};
  onStarted: (() => void) | undefined;
  onDone: (() => void) | undefined;
  readonly #buffer: ComfyEvent[] = [];
  readonly #classOf: (id: string) => string | undefined;
  readonly #emit: Emit;

  constructor(promptId: string, classOf: (id: string) => string | undefined, emit: Emit) {
    this.promptId = promptId;
    this.#classOf = classOf;
    this.#emit = emit;
  }

  /** The server's answer to `POST /prompt` arrived: replay what was buffered for that id. */
  confirm(promptId: string): void {
    this.promptId = promptId;
    this.confirmed = true;
    const buffered = this.#buffer.splice(0);
    for (const event of buffered) this.handle(event);
  }

  /** Whether the socket brought an event of `promptId` before the server's answer confirmed it. */
  sawBeforeConfirm(promptId: string): boolean {
    return this.#buffer.some((event) => eventPromptId(event) === promptId);
  }

  handle(event: ComfyEvent): void {
    if (this.done) return;
    // Until POST /prompt answers, keep everything: the server may use another id than ours (servers
    // before 2025-07 ignore client ids), and progress reads better after "submitted".
    if (!this.confirmed) {
      if (this.#buffer.length < 10_000) this.#buffer.push(event);
      return;
    }
    const id = eventPromptId(event);
    if (id !== undefined && id !== this.promptId) return;
    const promptId = this.promptId;
    switch (event.type) {
      case "execution_start":
        this.startedAt = event.data.timestamp;
        this.markStarted();
        break;
      case "execution_cached":
        this.markStarted();
        for (const node of event.data.nodes) this.cached.add(node);
        this.#emit({ type: "cached", promptId, nodes: event.data.nodes });
        break;
      case "executing": {
        // The reconnect variant has no prompt_id; it says "a job of yours runs", not which.
        if (event.data.prompt_id === undefined) break;
        this.markStarted();
        if (event.data.node === null) {
          this.markDone();
          break;
        }
        const nodeId = event.data.display_node ?? event.data.node;
        // Expanded sub-nodes run under ephemeral ids; only /history maps their outputs reliably.
        if (event.data.node !== nodeId || this.#classOf(nodeId) === undefined) this.irregular = true;
        if (!this.executed.includes(nodeId)) this.executed.push(nodeId);
        this.#emit({ type: "node", promptId, nodeId, classType: this.#classOf(nodeId) });
        break;
      }
      case "progress":
        if (event.data.prompt_id === undefined && !this.started) break;
        this.#emit({
          type: "step",
          promptId,
          nodeId: event.data.node ?? undefined,
          value: event.data.value,
          max: event.data.max,
        });
        break;
      case "executed":
        if ((event.data.display_node ?? event.data.node) !== event.data.node) this.irregular = true;
        this.outputs[event.data.display_node ?? event.data.node] = event.data.output;
        this.#emit({
          type: "executed",
          promptId,
          nodeId: event.data.display_node ?? event.data.node,
          output: event.data.output,
        });
        break;
      case "preview_image":
        // Type-1 frames carry no prompt id; while our job runs, they are ours (one job runs at a time).
        if (!this.started) break;
        this.#emit({
          type: "preview",
          promptId,
          nodeId: event.metadata?.display_node_id ?? event.metadata?.node_id,
          mimeType: event.mimeType,
          image: event.image,
        });
        break;
      case "progress_text":
        // Broadcast to every socket; keep only text for our nodes while our job runs.
        if (this.started && this.#classOf(event.nodeId) !== undefined) {
          this.#emit({ type: "text", promptId, nodeId: event.nodeId, text: event.text });
        }
        break;
      case "execution_success":
        this.succeeded = true;
        this.finishedAt = event.data.timestamp;
        break;
      case "execution_error":
      case "execution_interrupted":
        this.irregular = true;
        break;
      default:
        break;
    }
  }

  markStarted(): void {
    if (this.started) return;
    this.started = true;
    this.#emit({ type: "started", promptId: this.promptId });
    this.onStarted?.();
  }

  markDone(): void {
    if (this.done) return;
    this.done = true;
    this.onDone?.();
  }
}
