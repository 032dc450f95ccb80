import type { NodeCatalog } from "@comfy-ts/core";
import type { NodeMeta } from "../history/history-store.js";
import type { QueuedPrompt, QueueItem } from "../queue/queue-item.js";
import { encodePreviewFrame, encodePreviewWithMetadataFrame, encodeTextFrame } from "../ws/binary-frames.js";
import { type DefinitionFacts, definitionFacts } from "./definition-facts.js";
import { formatInputValue, InterruptedError, noModelsMessage } from "./execution-errors.js";
import { ExecutionList } from "./execution-list.js";
import { heldPrompt, isChangedEntry } from "./held-prompt.js";
import { isLink } from "./link.js";
import {
  type DefinitionEnv,
  type NodeContext,
  NodeExecutionError,
  type NodeImpl,
  type NodeResult,
  type PreviewImage,
} from "./node-impl.js";
import type { NodeRegistry } from "./node-registry.js";
import { type CacheEntry, NEVER_EQUAL, OutputCache } from "./output-cache.js";
import { ProgressState } from "./progress-state.js";
import { pythonTraceback } from "./python-traceback.js";

/** Where the executor's WebSocket messages go (the server's socket hub). */
export interface ExecutionEvents {
  send(type: string, data: unknown, target: string | null): void;
  sendBinary(frame: Buffer, target: string | null): void;
  supportsPreviewMetadata(target: string | null): boolean;
}

export interface ExecutorOptions {
  readonly registry: NodeRegistry;
  readonly events: ExecutionEvents;
  readonly dirs: { readonly input: string; readonly output: string; readonly temp: string };
  readonly definitionEnv: DefinitionEnv;
  /** Called with internal errors worth logging (a node threw something other than a `NodeExecutionError`). */
  readonly log?: (message: string) => void;
  /** Called with the JS stack of every node failure (clients get a Python-shaped traceback instead). */
  readonly debug?: (message: string) => void;
}

/** What a finished job leaves for its history entry. */
export interface JobResult {
  /** ComfyUI's `success` flag (stays true when a dependency cycle stops the job before any node fails). */
  readonly success: boolean;
  readonly messages: [string, Record<string, unknown>][];
  readonly outputs: Record<string, Record<string, unknown[]>>;
  readonly meta: Record<string, NodeMeta>;
}

type Failure =
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
 * Runs queued prompts like ComfyUI's `PromptExecutor`: the classic output cache, the execution
 * list's order, ComfyUI's list mapping, and the same WebSocket messages in the same order.
 */
export class Executor {
  readonly cache = new OutputCache();
  #interrupted = false;
  /** The job's client and the node being run (for a reconnecting socket's `executing`). */
  clientId: string | null = null;
  lastNodeId: string | undefined;
  #facts = new Map<string, DefinitionFacts>();
  /** Each node's `is_changed` entry of the running job, recorded while its cache signature is made. */
  #isChanged = new Map<string, unknown>();
  /** The running job's prompt as ComfyUI holds it (the nodes' hidden `PROMPT`), built when first asked. */
  #heldPrompt: Record<string, unknown> | undefined;
  /** The server's catalog when the job started (file combos as the folders were then). */
  #catalog: NodeCatalog | undefined;

  constructor(private readonly options: ExecutorOptions) {}

  /** Sets the interrupt flag; the running node stops at its next check. */
  interrupt(): void {
    this.#interrupted = true;
  }

  async execute(item: QueueItem): Promise<JobResult> {
    const { promptId, prompt, extraData } = item;
    const { events } = this.options;
    this.#interrupted = false;
    const clientId = typeof extraData.client_id === "string" ? extraData.client_id : null;
    this.clientId = clientId;
    this.#facts = new Map();
    this.#isChanged = new Map();
    this.#heldPrompt = undefined;
    this.#catalog = this.options.registry.catalog(this.options.definitionEnv);
    const messages: [string, Record<string, unknown>][] = [];
    const addMessage = (event: string, data: Record<string, unknown>, broadcast: boolean) => {
      const stamped = { ...data, timestamp: Date.now() };
      messages.push([event, stamped]);
      if (clientId !== null || broadcast) events.send(event, stamped, clientId);
    };

    addMessage("execution_start", { prompt_id: promptId }, false);
    this.cache.setPrompt(prompt, (nodeId) => this.#immediateSignature(prompt, nodeId, promptId, extraData));
    const cachedNodes = Object.keys(prompt).filter((id) => this.cache.get(id) !== undefined);
    addMessage("execution_cached", { nodes: cachedNodes, prompt_id: promptId }, false);

    const progress = new ProgressState(promptId, (data) => events.send("progress_state", data, clientId));
    const executed = new Set<string>();
    const currentOutputs = Object.keys(prompt);
    const list = new ExecutionList(
      prompt,
      (id) => this.cache.get(id) !== undefined,
      (id) => this.#factsOf(prompt, id)?.outputNode === true,
      (id, name) => this.#factsOf(prompt, id)?.lazyInputs.has(name) === true,
    );
    for (const id of item.outputsToExecute) list.addNode(id);

    let success = true;
    let failure: Failure | undefined;
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
      // Let HTTP requests (an interrupt, queue changes) through between nodes.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const result = await this.#executeNode(item, staged.nodeId, progress, executed);
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
      const classType = prompt[failure.nodeId]?.class_type ?? "";
      const base = {
        prompt_id: promptId,
        node_id: failure.nodeId,
        node_type: classType,
        executed: [...executed],
      };
      if (failure.kind === "interrupted") {
        addMessage("execution_interrupted", base, true);
      } else {
        addMessage(
          "execution_error",
          {
            ...base,
            exception_message: failure.exceptionMessage,
            exception_type: failure.exceptionType,
            traceback: failure.traceback,
            current_inputs: failure.currentInputs,
            current_outputs: currentOutputs,
          },
          false,
        );
      }
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
    this.lastNodeId = undefined;
    return { success, messages, outputs, meta };
  }

  #jobCatalog(): NodeCatalog {
    this.#catalog ??= this.options.registry.catalog(this.options.definitionEnv);
    return this.#catalog;
  }

  #factsOf(prompt: QueuedPrompt, nodeId: string): DefinitionFacts | undefined {
    const classType = prompt[nodeId]?.class_type;
    if (classType === undefined) return undefined;
    let facts = this.#facts.get(classType);
    if (!facts) {
      const def = this.#jobCatalog().nodes.get(classType);
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
    const entry = this.options.registry.get(node.class_type);
    const facts = this.#factsOf(prompt, nodeId);
    let fingerprint: unknown = false;
    if (entry?.kind === "runnable" && entry.impl.fingerprint) {
      const literals: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(node.inputs))
        literals[name] = isLink(value) ? undefined : value;
      try {
        fingerprint = entry.impl.fingerprint(
          literals,
          this.#context(nodeId, promptId, prompt, extraData, null),
        );
        this.#isChanged.set(nodeId, isChangedEntry({ value: fingerprint }));
      } catch {
        fingerprint = Number.NaN;
        this.#isChanged.set(nodeId, isChangedEntry({ threw: true }));
      }
      if (typeof fingerprint === "number" && Number.isNaN(fingerprint)) return NEVER_EQUAL;
    }
    const head: unknown[] = [node.class_type, fingerprint ?? null];
    if (facts?.idInSignature) head.push(nodeId);
    return head;
  }

  /** Runs one staged node; returns the failure, or undefined on success. */
  async #executeNode(
    item: QueueItem,
    nodeId: string,
    progress: ProgressState,
    executed: Set<string>,
  ): Promise<Failure | undefined> {
    const { prompt, promptId, extraData } = item;
    const { events } = this.options;
    const clientId = this.clientId;
    const node = prompt[nodeId];
    if (!node)
      return {
        kind: "error",
        nodeId,
        ...errorFields(new Error(`node ${nodeId} is not in the prompt`), "", undefined),
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
      return undefined;
    }

    progress.start(nodeId);
    let inputData: Record<string, unknown[]> | undefined;
    try {
      const entry = this.options.registry.get(node.class_type);
      const facts = this.#factsOf(prompt, nodeId);
      if (!entry || !facts) throw new NodeExecutionError("KeyError", `'${node.class_type}'`);
      inputData = this.#inputData(prompt, nodeId, facts);
      if (clientId !== null) {
        this.lastNodeId = nodeId;
        events.send("executing", { node: nodeId, display_node: nodeId, prompt_id: promptId }, clientId);
      }
      if (entry.kind === "listed") {
        this.#throwIfInterrupted();
        throw new NodeExecutionError("NotImplementedError", noModelsMessage(node.class_type));
      }
      const ctx = this.#context(nodeId, promptId, prompt, extraData, progress);
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
      return undefined;
    } catch (error) {
      if (error instanceof InterruptedError) return { kind: "interrupted", nodeId };
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const what = `node ${nodeId} (${node.class_type}) of prompt ${promptId}`;
      // Not a reproduced Python exception: a bug worth a stack trace in the server log. Either way the
      // JS stack stays in the log: clients get a traceback in ComfyUI's shape.
      if (error instanceof NodeExecutionError) this.options.debug?.(`${what} failed: ${detail}`);
      else this.options.log?.(`${what} threw: ${detail}`);
      const currentInputs: Record<string, unknown[]> = {};
      for (const [name, values] of Object.entries(inputData ?? {}))
        currentInputs[name] = values.map(formatInputValue);
      return { kind: "error", nodeId, ...errorFields(error, node.class_type, inputData), currentInputs };
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
        const list = upstream?.outputs[slot];
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
      this.#throwIfInterrupted();
      return [await impl.execute(inputData, ctx)];
    }
    const lists = Object.entries(inputData);
    const count = lists.length === 0 ? 1 : Math.max(...lists.map(([, v]) => v.length));
    const results: NodeResult[] = [];
    for (let i = 0; i < count; i++) {
      const args: Record<string, unknown> = {};
      for (const [name, values] of lists) args[name] = values[Math.min(i, values.length - 1)];
      this.#throwIfInterrupted();
      results.push(await impl.execute(args, ctx));
    }
    return results;
  }

  #throwIfInterrupted(): void {
    if (this.#interrupted) {
      this.#interrupted = false;
      throw new InterruptedError();
    }
  }

  #context(
    nodeId: string,
    promptId: string,
    prompt: QueuedPrompt,
    extraData: Record<string, unknown>,
    progress: ProgressState | null,
  ): NodeContext {
    const { events, dirs } = this.options;
    const clientId = this.clientId;
    const extraPngInfo = extraData.extra_pnginfo;
    const sendPreview = (preview: PreviewImage, asMetadata: boolean) => {
      if (asMetadata) {
        const frame = encodePreviewWithMetadataFrame(
          {
            node_id: nodeId,
            prompt_id: promptId,
            display_node_id: nodeId,
            parent_node_id: null,
            real_node_id: nodeId,
            image_type: preview.format === "PNG" ? "image/png" : "image/jpeg",
          },
          preview.bytes,
        );
        events.sendBinary(frame, clientId);
      } else {
        events.sendBinary(encodePreviewFrame(preview.format, preview.bytes), clientId);
      }
    };
    const catalog = this.#jobCatalog();
    const held = () => {
      this.#heldPrompt ??= heldPrompt(prompt, catalog, this.#isChanged);
      return this.#heldPrompt;
    };
    return {
      nodeId,
      promptId,
      clientId,
      get prompt() {
        return held();
      },
      catalog,
      extraPngInfo:
        extraPngInfo !== null && typeof extraPngInfo === "object" && !Array.isArray(extraPngInfo)
          ? (extraPngInfo as Record<string, unknown>)
          : undefined,
      dirs,
      progress: (value, max, preview) => {
        this.#throwIfInterrupted();
        progress?.update(nodeId, value, max);
        const metadata = clientId !== null && events.supportsPreviewMetadata(clientId);
        if (preview && metadata) sendPreview(preview, true);
        events.send("progress", { value, max, prompt_id: promptId, node: nodeId }, clientId);
        if (preview && !metadata) sendPreview(preview, false);
      },
      progressText: (text) => events.sendBinary(encodeTextFrame(nodeId, text), null),
      previewImage: (png) =>
        sendPreview(
          { format: "PNG", bytes: png },
          clientId !== null && events.supportsPreviewMetadata(clientId),
        ),
      throwIfInterrupted: () => this.#throwIfInterrupted(),
    };
  }
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
  const exceptionType =
    error instanceof NodeExecutionError
      ? error.exceptionType
      : error instanceof Error
        ? error.name || "Exception"
        : "Exception";
  const message = error instanceof Error ? error.message : String(error);
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
