import type { NodeSpec } from "./node-spec.js";
import { type CapturedStack, parseCallSite, type SourceLocation } from "./source-location.js";

/** Per-node options, the second argument of every factory. */
export interface NodeOptions {
  /** Pin the node's id in the compiled prompt (otherwise ids are assigned in creation order). */
  readonly id?: string | number;
  /** `_meta.title` in the compiled prompt (the title shown in ComfyUI's editor). */
  readonly title?: string;
  /**
   * Extra inputs written verbatim, for keys the catalog does not declare (e.g. the legacy
   * `"choose file to upload"` widget some exported workflows carry).
   */
  readonly extraInputs?: Readonly<Record<string, unknown>>;
}

let sequence = 0;

/** One node of a graph: frozen data. Build it through a factory, not directly. */
export class GraphNode {
  readonly classType: string;
  readonly spec: NodeSpec;
  /** Inputs as the author gave them: literals, outputs or node handles. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly pinnedId: string | undefined;
  readonly title: string | undefined;
  readonly extraInputs: Readonly<Record<string, unknown>> | undefined;
  /** Creation order; compile assigns ids in this order. */
  readonly sequence: number;
  readonly #callSite: CapturedStack;
  #location: SourceLocation | undefined | null = null;

  constructor(
    spec: NodeSpec,
    inputs: Record<string, unknown>,
    options: NodeOptions | undefined,
    callSite: CapturedStack,
  ) {
    this.classType = spec.classType;
    this.spec = spec;
    this.inputs = Object.freeze({ ...inputs });
    this.pinnedId = options?.id === undefined ? undefined : String(options.id);
    this.title = options?.title;
    this.extraInputs = options?.extraInputs;
    this.sequence = ++sequence;
    this.#callSite = callSite;
    Object.freeze(this);
  }

  /** Where the author created this node (file:line:column), when the stack tells. */
  get location(): SourceLocation | undefined {
    if (this.#location === null) this.#location = parseCallSite(this.#callSite);
    return this.#location;
  }
}
