import type { NodeCatalog } from "@comfy-ts/core";
import type { NodeMeta } from "../history/history-store.js";
import type { QueuedPrompt, QueueItem } from "../queue/queue-item.js";
import { encodeTextFrame, type PreviewMetadata } from "../ws/binary-frames.js";
import type { Target } from "../ws/socket-hub.js";
import { type DefinitionFacts, definitionFacts } from "./definition-facts.js";
import {
  formatInputValue,
  INTERNAL_ERROR_TYPE,
  InterruptedError,
  noModelsMessage,
  reportedException,
} from "./execution-errors.js";
import { ExecutionList } from "./execution-list.js";
import { heldPrompt, isChangedEntry } from "./held-prompt.js";
import type { InterruptFlag } from "./interrupt-flag.js";
import { isLink, linkedOutput } from "./link.js";
import { createNodeContext, type NodeReporter } from "./node-context.js";
import {
  type NodeContext,
  NodeExecutionError,
  type NodeImpl,
  type NodeResult,
  type PreviewImage,
} from "./node-impl.js";
import type { RegisteredNode } from "./node-registry.js";
import { type CacheEntry, NEVER_EQUAL, OutputCache } from "./output-cache.js";
import { ProgressState } from "./progress-state.js";
import { pythonTraceback } from "./python-traceback.js";

/** A history message: `[event, data]` as `status.messages` of a history entry lists it. */
export type HistoryMessage = [string, Record<string, unknown>];

/** Where the executor's WebSocket messages go (the server's socket hub, or the server thread). */
export interface ExecutionEvents {
  send(type: string, data: unknown, target: Target): void;
  sendBinary(frame: Buffer, target: Target): void;
  /**
   * A preview image: a type-4 frame with `metadata` for a client that negotiated preview metadata,
   * else a type-1 frame. With a step's `progress` message, ComfyUI sends the type-4 frame before it
   * and the type-1 frame after it.
   */
  sendPreview(preview: PreviewImage, metadata: PreviewMetadata, target: Target, progress?: unknown): void;
  /** The `IS_CHANGED` results of the job's nodes that have one, once its cache signatures are made. */
  fingerprinted?(results: ReadonlyMap<string, FingerprintResult>): void;
  /** The job's history messages, as they are made (the history entry gets them all at the end). */
  recorded?(message: HistoryMessage): void;
  /** A node's function is about to run. */
  nodeStarted?(nodeId: string): void;
  /** A node ran (`cached`: its cached outputs were reused), with its UI output. */
  nodeFinished?(nodeId: string, ui: CacheEntry["ui"], cached: boolean): void;
}

/** The node classes a job can use: how to run each, and the server's catalog of their definitions. */
export interface NodeSource {
  get(classType: string): RegisteredNode | undefined;
  /** The catalog as it is when the job starts (file combos as the folders are then). */
  catalog(): NodeCatalog;
}

/** A node's `IS_CHANGED` (`fingerprint`) result: its value, or that it threw. */
export type FingerprintResult = { readonly value: unknown } | { readonly threw: true };

export interface ExecutorOptions {
  readonly events: ExecutionEvents;
  readonly dirs: { readonly input: string; readonly output: string; readonly temp: string };
  /** Set by `POST /interrupt`; the running node stops at its next check. */
  readonly interrupt: InterruptFlag;
  /** Called with internal errors worth logging (a node threw something other than a `NodeExecutionError`). */
  readonly log?: (message: string) => void;
  /** Called with the JS stack of every node failure (clients get a Python-shaped traceback instead). */
  readonly debug?: (message: string) => void;
}

/** What a finished job leaves for its history entry. */
export interface JobResult {
  /** ComfyUI's `success` flag (stays true when a dependency cycle stops the job before any node fails). */
  readonly success: boolean;
  readonly messages: HistoryMessage[];
  readonly outputs: Record<string, Record<string, unknown[]>>;
  readonly meta: Record<string, NodeMeta>;
}

/** Why a job stopped before its end. */
export type JobFailure =
  | { kind: "interrupted"; nodeId: string }
  | {
      kind: "error";
      nodeId: string;
      exceptionMessage: string;
      exceptionType: string;
      traceback: string[];
      currentInputs: Record<string, unknown[]> | [];
    };

/**
 * The message that ends a failed job: `execution_interrupted` (broadcast, as ComfyUI does) or
 * `execution_error`, and whether it is broadcast.
 */
export function failureMessage(
  failure: JobFailure,
  job: { readonly promptId: string; readonly prompt: QueuedPrompt },
  executed: Iterable<string>,
): { event: string; data: Record<string, unknown>; broadcast: boolean } {
  const base = {
    prompt_id: job.promptId,
    node_id: failure.nodeId,
    node_type: job.prompt[failure.nodeId]?.class_type ?? "",
    executed: [...executed],
  };
  if (failure.kind === "interrupted") return { event: "execution_interrupted", data: base, broadcast: true };
  return {
    event: "execution_error",
    data: {
      ...base,
      exception_message: failure.exceptionMessage,
      exception_type: failure.exceptionType,
      traceback: failure.traceback,
      current_inputs: failure.currentInputs,
      current_outputs: Object.keys(job.prompt),
    },
    broadcast: false,
  };
}

/** The job's client: `extra_data.client_id` when it is a string. */
export function jobClientId(item: QueueItem): string | null {
  return jobClientIdOf(item.extraData);
}

function jobClientIdOf(extraData: Record<string, unknown>): string | null {
  return typeof extraData.client_id === "string" ? extraData.client_id : null;
}

/**
 * Runs queued prompts like ComfyUI's `PromptExecutor`: the classic output cache, the execution
 * list's order, ComfyUI's list mapping, and the same WebSocket messages in the same order.
 */
export class Executor {
  readonly cache = new OutputCache();
  #facts = new Map<string, DefinitionFacts>();
  #nodes: NodeSource | undefined;
  /** Each node's `IS_CHANGED` result in the running job, recorded while its cache signature is made. */
  #fingerprints = new Map<string, FingerprintResult>();
  /** The running job's prompt as ComfyUI holds it (the nodes' hidden `PROMPT`), built when first asked. */
  #heldPrompt: Record<string, unknown> | undefined;
  /** The server's catalog when the job started. */
  #catalog: NodeCatalog = { nodes: new Map(), problems: [] };

  constructor(private readonly options: ExecutorOptions) {}

  async execute(item: QueueItem, nodes: NodeSource): Promise<JobResult> {
    const { promptId, prompt, extraData } = item;
    const { events } = this.options;
    this.options.interrupt.clear();
    const clientId = jobClientId(item);
    this.#facts = new Map();
    this.#nodes = nodes;
    this.#fingerprints = new Map();
    this.#heldPrompt = undefined;
    this.#catalog = nodes.catalog();
    const messages: HistoryMessage[] = [];
    const addMessage = (event: string, data: Record<string, unknown>, broadcast: boolean) => {
      const message: HistoryMessage = [event, { ...data, timestamp: Date.now() }];
      messages.push(message);
      events.recorded?.(message);
      if (clientId !== null || broadcast) events.send(event, message[1], clientId);
    };

    addMessage("execution_start", { prompt_id: promptId }, false);
    this.cache.setPrompt(prompt, (nodeId) => this.#immediateSignature(prompt, nodeId, promptId, extraData));
    events.fingerprinted?.(this.#fingerprints);
    const cachedNodes = Object.keys(prompt).filter((id) => this.cache.get(id) !== undefined);
    addMessage("execution_cached", { nodes: cachedNodes, prompt_id: promptId }, false);

    const progress = new ProgressState(promptId, (data) => events.send("progress_state", data, clientId));
    const executed = new Set<string>();
    const list = new ExecutionList(
      prompt,
      (id) => this.cache.get(id) !== undefined,
      (id) => this.#factsOf(prompt, id)?.outputNode === true,
      (id, name) => this.#factsOf(prompt, id)?.lazyInputs.has(name) === true,
    );
    for (const id of item.outputsToExecute) list.addNode(id);

    let success = true;
    let failure: JobFailure | undefined;
    for (;;) {
      const staged = list.stage();
      if (staged === undefined) break;
      if ("cycle" in staged) {
        failure = {
          kind: "error",
          nodeId: staged.cycle,
          exceptionMessage: "Dependency cycle detected",
          exceptionType: "graph.DependencyCycleError",
          traceback: [],
          currentInputs: [],
        };
        break;
      }
      // Let other work of this thread through between nodes (HTTP requests, when it is the server's).
      await new Promise<void>((resolve) => setImmediate(resolve));
      const result = await this.#executeNode(item, clientId, staged.nodeId, progress, executed);
      if (result !== undefined) {
        success = false;
        failure = result;
        break;
      }
      list.complete();
    }

    progress.flush();
    if (failure === undefined) {
      addMessage("execution_success", { prompt_id: promptId }, false);
    } else {
      const { event, data, broadcast } = failureMessage(failure, item, executed);
      addMessage(event, data, broadcast);
    }

    const outputs: Record<string, Record<string, unknown[]>> = {};
    const meta: Record<string, NodeMeta> = {};
    for (const id of Object.keys(prompt)) {
      const ui = this.cache.get(id)?.ui;
      if (ui) {
        outputs[id] = ui.output;
        meta[id] = ui.meta;
      }
    }
    this.#nodes = undefined;
    return { success, messages, outputs, meta };
  }

  #factsOf(prompt: QueuedPrompt, nodeId: string): DefinitionFacts | undefined {
    const classType = prompt[nodeId]?.class_type;
    if (classType === undefined) return undefined;
    let facts = this.#facts.get(classType);
    if (!facts) {
      const def = this.#catalog.nodes.get(classType);
      if (!def) return undefined;
      facts = definitionFacts(def);
      this.#facts.set(classType, facts);
    }
    return facts;
  }

  #immediateSignature(
    prompt: QueuedPrompt,
    nodeId: string,
    promptId: string,
    extraData: Record<string, unknown>,
  ): unknown[] | typeof NEVER_EQUAL {
    const node = prompt[nodeId];
    if (!node) return NEVER_EQUAL;
    const entry = this.#nodes?.get(node.class_type);
    const facts = this.#factsOf(prompt, nodeId);
    let fingerprint: unknown = false;
    if (entry?.kind === "runnable" && entry.impl.fingerprint) {
      const result = nodeFingerprint(
        entry.impl,
        node.inputs,
        this.#context(
          { nodeId, promptId, prompt, extraData, clientId: jobClientIdOf(extraData) },
          SILENT_REPORTER,
        ),
      );
      this.#fingerprints.set(nodeId, result);
      fingerprint = "threw" in result ? Number.NaN : result.value;
      if (typeof fingerprint === "number" && Number.isNaN(fingerprint)) return NEVER_EQUAL;
    }
    const head: unknown[] = [node.class_type, fingerprint ?? null];
    if (facts?.idInSignature) head.push(nodeId);
    return head;
  }

  /** Runs one staged node; returns the failure, or undefined on success. */
  async #executeNode(
    item: QueueItem,
    clientId: string | null,
    nodeId: string,
    progress: ProgressState,
    executed: Set<string>,
  ): Promise<JobFailure | undefined> {
    const { prompt, promptId } = item;
    const { events } = this.options;
    const node = prompt[nodeId];
    if (!node)
      return {
        kind: "error",
        nodeId,
        ...errorFields(new NodeExecutionError("KeyError", `'${nodeId}'`), "", undefined),
        currentInputs: {},
      };

    const cached = this.cache.get(nodeId);
    if (cached !== undefined) {
      if (clientId !== null) {
        events.send(
          "executed",
          { node: nodeId, display_node: nodeId, output: cached.ui?.output ?? null, prompt_id: promptId },
          clientId,
        );
      }
      progress.finish(nodeId);
      events.nodeFinished?.(nodeId, cached.ui, true);
      return undefined;
    }

    progress.start(nodeId);
    let inputData: Record<string, unknown[]> | undefined;
    try {
      const entry = this.#nodes?.get(node.class_type);
      const facts = this.#factsOf(prompt, nodeId);
      if (!entry || !facts) throw new NodeExecutionError("KeyError", `'${node.class_type}'`);
      inputData = this.#inputData(prompt, nodeId, facts);
      if (clientId !== null) {
        events.send("executing", { node: nodeId, display_node: nodeId, prompt_id: promptId }, clientId);
      }
      events.nodeStarted?.(nodeId);
      if (entry.kind === "listed") {
        this.options.interrupt.throwIfSet();
        throw new NodeExecutionError("NotImplementedError", noModelsMessage(node.class_type));
      }
      const ctx = this.#context(
        { nodeId, promptId, prompt, extraData: item.extraData, clientId },
        this.#reporter(nodeId, promptId, clientId, progress),
      );
      const results = await this.#mapOverList(entry.impl, facts, inputData, ctx);
      const outputs = mergeOutputs(results, facts);
      const ui = mergeUi(results);
      const cacheEntry: CacheEntry = {
        outputs,
        ui: ui
          ? {
              output: ui,
              meta: { node_id: nodeId, display_node: nodeId, parent_node: null, real_node_id: nodeId },
            }
          : undefined,
      };
      this.cache.set(nodeId, cacheEntry);
      if (ui && clientId !== null) {
        events.send(
          "executed",
          { node: nodeId, display_node: nodeId, output: ui, prompt_id: promptId },
          clientId,
        );
      }
      progress.finish(nodeId);
      executed.add(nodeId);
      events.nodeFinished?.(nodeId, cacheEntry.ui, false);
      return undefined;
    } catch (error) {
      if (error instanceof InterruptedError) return { kind: "interrupted", nodeId };
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const what = `node ${nodeId} (${node.class_type}) of prompt ${promptId}`;
      const fields = errorFields(error, node.class_type, inputData);
      // Not a reproduced Python exception: a bug worth a stack trace in the server log. Either way the
      // JS stack stays in the log: clients get a traceback in ComfyUI's shape.
      if (fields.exceptionType === INTERNAL_ERROR_TYPE) this.options.log?.(`${what} threw: ${detail}`);
      else this.options.debug?.(`${what} failed: ${detail}`);
      const currentInputs: Record<string, unknown[]> = {};
      for (const [name, values] of Object.entries(inputData ?? {}))
        currentInputs[name] = values.map(formatInputValue);
      return { kind: "error", nodeId, ...fields, currentInputs };
    }
  }

  /** Linked inputs take the upstream output list; literals become one-element lists. Undeclared inputs are dropped. */
  #inputData(prompt: QueuedPrompt, nodeId: string, facts: DefinitionFacts): Record<string, unknown[]> {
    const node = prompt[nodeId] as QueuedPrompt[string];
    const data: Record<string, unknown[]> = {};
    for (const [name, value] of Object.entries(node.inputs)) {
      if (!facts.inputNames.has(name)) continue;
      if (isLink(value)) {
        const [from, slot] = value;
        const upstream = this.cache.get(from);
        const list = upstream && linkedOutput(upstream.outputs, slot);
        if (list === undefined) continue;
        data[name] = [...list];
      } else {
        data[name] = [value];
      }
    }
    return data;
  }

  async #mapOverList(
    impl: NodeImpl,
    facts: DefinitionFacts,
    inputData: Record<string, unknown[]>,
    ctx: NodeContext,
  ): Promise<NodeResult[]> {
    if (impl.inputIsList === true || facts.inputIsList) {
      ctx.throwIfInterrupted();
      return [await impl.execute(inputData, ctx)];
    }
    const lists = Object.entries(inputData);
    const count = lists.length === 0 ? 1 : Math.max(...lists.map(([, v]) => v.length));
    const results: NodeResult[] = [];
    for (let i = 0; i < count; i++) {
      const args: Record<string, unknown> = {};
      for (const [name, values] of lists) args[name] = values[Math.min(i, values.length - 1)];
      ctx.throwIfInterrupted();
      results.push(await impl.execute(args, ctx));
    }
    return results;
  }

  #context(
    job: {
      nodeId: string;
      promptId: string;
      prompt: QueuedPrompt;
      extraData: Record<string, unknown>;
      clientId: string | null;
    },
    reporter: NodeReporter,
  ): NodeContext {
    const catalog = this.#catalog;
    return createNodeContext(
      {
        ...job,
        prompt: () => {
          this.#heldPrompt ??= heldPrompt(job.prompt, catalog, isChangedEntries(this.#fingerprints));
          return this.#heldPrompt;
        },
        catalog,
        dirs: this.options.dirs,
      },
      reporter,
      this.options.interrupt,
    );
  }

  /** Where one node's reports go: `progress_state`, then `progress` with previews, as ComfyUI sends them. */
  #reporter(
    nodeId: string,
    promptId: string,
    clientId: string | null,
    progress: ProgressState,
  ): NodeReporter {
    const { events } = this.options;
    const metadata = (preview: PreviewImage): PreviewMetadata => ({
      node_id: nodeId,
      prompt_id: promptId,
      display_node_id: nodeId,
      parent_node_id: null,
      real_node_id: nodeId,
      image_type: preview.format === "PNG" ? "image/png" : "image/jpeg",
    });
    return {
      progress: (value, max, preview) => {
        progress.update(nodeId, value, max);
        const message = { value, max, prompt_id: promptId, node: nodeId };
        if (preview) events.sendPreview(preview, metadata(preview), clientId, message);
        else events.send("progress", message, clientId);
      },
      progressText: (text) => events.sendBinary(encodeTextFrame(nodeId, text), null),
      previewImage: (png) => {
        const preview: PreviewImage = { format: "PNG", bytes: png };
        events.sendPreview(preview, metadata(preview), clientId);
      },
    };
  }
}

/** A reporter for contexts that must not report (a fingerprint is computed before the node runs). */
const SILENT_REPORTER: NodeReporter = { progress: () => {}, progressText: () => {}, previewImage: () => {} };

/**
 * ComfyUI's `IS_CHANGED` of one node, called with its literal inputs (linked ones undefined); a
 * fingerprint that throws never equals another, as ComfyUI treats a failing `IS_CHANGED`.
 */
export function nodeFingerprint(
  impl: NodeImpl,
  inputs: Record<string, unknown>,
  ctx: NodeContext,
): FingerprintResult {
  if (!impl.fingerprint) return { value: false };
  const literals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) literals[name] = isLink(value) ? undefined : value;
  try {
    return { value: impl.fingerprint(literals, ctx) };
  } catch {
    return { threw: true };
  }
}

/** The `is_changed` entries of the held prompt, from the job's `IS_CHANGED` results. */
export function isChangedEntries(results: ReadonlyMap<string, FingerprintResult>): Map<string, unknown> {
  return new Map([...results].map(([nodeId, result]) => [nodeId, isChangedEntry(result)]));
}

/** `execution_error` fields of a failure of node class `classType` run with `inputs`. */
function errorFields(
  error: unknown,
  classType: string,
  inputs: Record<string, unknown[]> | undefined,
): {
  exceptionMessage: string;
  exceptionType: string;
  traceback: string[];
} {
  const { exceptionType, message } = reportedException(error, classType);
  return {
    exceptionMessage: `${message}\n`,
    exceptionType,
    traceback: pythonTraceback({ classType, exceptionType, message, ...(inputs ? { inputs } : {}) }),
  };
}

/** ComfyUI's `merge_result_data`: list outputs are concatenated, others collect one value per call. */
function mergeOutputs(results: readonly NodeResult[], facts: DefinitionFacts): unknown[][] {
  const slots = Math.max(facts.outputCount, ...results.map((r) => r.outputs?.length ?? 0));
  const merged: unknown[][] = [];
  for (let slot = 0; slot < slots; slot++) {
    const values: unknown[] = [];
    for (const r of results) {
      const value = r.outputs?.[slot];
      if (facts.outputIsList[slot] && Array.isArray(value)) values.push(...value);
      else values.push(value);
    }
    merged.push(values);
  }
  return merged;
}

/** UI dicts of every call merged key-wise (keys of the first dict), or undefined when none. */
function mergeUi(results: readonly NodeResult[]): Record<string, unknown[]> | undefined {
  const uis = results.map((r) => r.ui).filter((ui): ui is Record<string, unknown[]> => ui !== undefined);
  const first = uis[0];
  if (!first) return undefined;
  const merged: Record<string, unknown[]> = {};
  for (const key of Object.keys(first)) merged[key] = uis.flatMap((ui) => ui[key] ?? []);
  return Object.keys(merged).length > 0 ? merged : undefined;
}
