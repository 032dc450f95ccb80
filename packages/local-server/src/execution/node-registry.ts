import { CatalogError, ComfyError, type NodeCatalog, parseCatalog } from "@comfy-ts/core";
import { NodeDefinitionError } from "../nodes/define.js";
import type { DefinitionEnv, ListedOnlyNode, NodeImpl, RawNodeDefinition } from "./node-impl.js";

/** A class the server knows: one it runs, or a model node it only lists. */
export type RegisteredNode =
  | { readonly kind: "runnable"; readonly impl: NodeImpl }
  | { readonly kind: "listed"; readonly node: ListedOnlyNode };

/** Thrown when two nodes claim the same class_type. */
export class DuplicateNodeError extends ComfyError {
  constructor(readonly classType: string) {
    super(
      "ERR_DUPLICATE_NODE",
      `node class "${classType}" is registered twice; each class_type must be registered once`,
    );
  }
}

/**
 * The classes the local server serves in `/object_info` and runs. Definitions are computed per
 * request because file combos (LoadImage's `image`) follow the input folder.
 */
export class NodeRegistry {
  readonly #nodes = new Map<string, RegisteredNode>();
  #catalog: { readonly listing: string; readonly catalog: NodeCatalog } | undefined;

  constructor(impls: readonly NodeImpl[] = [], listedOnly: readonly ListedOnlyNode[] = []) {
    for (const impl of impls) this.register(impl);
    for (const node of listedOnly) this.registerListedOnly(node);
  }

  register(impl: NodeImpl): this {
    if (this.#nodes.has(impl.classType)) throw new DuplicateNodeError(impl.classType);
    this.#nodes.set(impl.classType, { kind: "runnable", impl });
    this.#catalog = undefined;
    return this;
  }

  registerListedOnly(node: ListedOnlyNode): this {
    if (this.#nodes.has(node.classType)) throw new DuplicateNodeError(node.classType);
    this.#nodes.set(node.classType, { kind: "listed", node });
    this.#catalog = undefined;
    return this;
  }

  get(classType: string): RegisteredNode | undefined {
    return this.#nodes.get(classType);
  }

  has(classType: string): boolean {
    return this.#nodes.has(classType);
  }

  classTypes(): string[] {
    return [...this.#nodes.keys()];
  }

  /** Classes listed in `/object_info` that this server cannot run (model nodes). */
  listedOnlyClassTypes(): string[] {
    return [...this.#nodes].filter(([, entry]) => entry.kind === "listed").map(([classType]) => classType);
  }

  define(classType: string, env: DefinitionEnv): RawNodeDefinition | undefined {
    const entry = this.#nodes.get(classType);
    if (!entry) return undefined;
    return entry.kind === "runnable" ? entry.impl.define(env) : entry.node.define(env);
  }

  /**
   * Everything the server knows of its classes, as core's `NodeDef`s of its own `/object_info`: what
   * validation, execution and the nodes themselves read. Rebuilt when the input folder's listing
   * changes (file combos follow it).
   *
   * @throws {NodeDefinitionError} when a class's definition is not a valid `/object_info` entry.
   */
  catalog(env: DefinitionEnv): NodeCatalog {
    const listing = env.inputFiles().join("\n");
    if (this.#catalog?.listing === listing) return this.#catalog.catalog;
    const objectInfo = this.objectInfo(env);
    let catalog: NodeCatalog = { nodes: new Map(), problems: [] };
    try {
      if (this.#nodes.size > 0) catalog = parseCatalog(objectInfo);
    } catch (error) {
      // Not one class could be read (a registry of only unreadable custom nodes).
      if (!(error instanceof CatalogError)) throw error;
      catalog = { nodes: new Map(), problems: error.problems };
    }
    const problem = catalog.problems[0];
    if (problem) {
      throw new NodeDefinitionError(
        `node class "${problem.classType}" has a definition ComfyUI clients cannot read, at ${problem.path}: ${problem.message}`,
      );
    }
    this.#catalog = { listing, catalog };
    return catalog;
  }

  /** The whole `GET /object_info` answer, in registration order. */
  objectInfo(env: DefinitionEnv): Record<string, RawNodeDefinition> {
    const out: Record<string, RawNodeDefinition> = {};
    for (const classType of this.#nodes.keys()) {
      out[classType] = this.define(classType, env) as RawNodeDefinition;
    }
    return out;
  }
}
