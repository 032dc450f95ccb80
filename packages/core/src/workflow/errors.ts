import type { CatalogProblem } from "../catalog/types.js";
import { ComfyError } from "../errors.js";

/**
 * Errors of the workflow converters. Every error has a stable `code`; catch `WorkflowError` for all
 * of them, or check `code` to react to one failure.
 */
export type WorkflowErrorCode =
  | "invalid_json"
  | "unknown_format"
  | "unknown_version"
  | "invalid_workflow"
  | "missing_link_node"
  | "unknown_node_type"
  | "invalid_widget_values"
  | "invalid_subgraph"
  | "no_metadata"
  | "invalid_image";

export interface WorkflowErrorOptions {
  /** The file (or other source) the workflow came from, when known. */
  readonly source?: string | undefined;
  /** The node the error is about (UI id or API id, `outer:inner` inside subgraphs). */
  readonly nodeId?: string | undefined;
  readonly cause?: unknown;
}

/** Base class of every workflow conversion error. */
export class WorkflowError extends ComfyError {
  declare readonly code: WorkflowErrorCode;
  readonly source: string | undefined;
  readonly nodeId: string | undefined;

  constructor(code: WorkflowErrorCode, message: string, options: WorkflowErrorOptions = {}) {
    super(code, options.source ? `${options.source}: ${message}` : message, { cause: options.cause });
    this.source = options.source;
    this.nodeId = options.nodeId;
  }
}

/** The text is not valid JSON (often a truncated download); `line`/`column` point at the problem. */
export class WorkflowJsonError extends WorkflowError {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number, options: WorkflowErrorOptions = {}) {
    super("invalid_json", `invalid JSON at line ${line}, column ${column}: ${message}`, options);
    this.line = line;
    this.column = column;
  }
}

/** The JSON is neither an API prompt nor a UI workflow. */
export class UnknownWorkflowFormatError extends WorkflowError {
  constructor(message: string, options: WorkflowErrorOptions = {}) {
    super("unknown_format", message, options);
  }
}

/** A UI workflow of a schema version this converter does not read. */
export class UnknownWorkflowVersionError extends WorkflowError {
  readonly version: unknown;
  constructor(version: unknown, options: WorkflowErrorOptions = {}) {
    super(
      "unknown_version",
      `unsupported UI workflow version ${JSON.stringify(version)}: expected 0.4 (litegraph serialize) or 1 ` +
        "(links as objects); re-save the workflow from a current ComfyUI frontend",
      options,
    );
    this.version = version;
  }
}

/** One problem found while validating a workflow's structure. */
export interface WorkflowSchemaIssue {
  /** JSON path, e.g. `nodes[3].widgets_values`. */
  readonly path: string;
  readonly message: string;
}

/** A UI workflow or API prompt whose structure does not match the format. */
export class WorkflowSchemaError extends WorkflowError {
  readonly issues: readonly WorkflowSchemaIssue[];
  constructor(what: string, issues: readonly WorkflowSchemaIssue[], options: WorkflowErrorOptions = {}) {
    const shown = issues.slice(0, 5).map((i) => `  at ${i.path || "(root)"}: ${i.message}`);
    if (issues.length > 5) shown.push(`  … and ${issues.length - 5} more`);
    super("invalid_workflow", `not a valid ${what}:\n${shown.join("\n")}`, options);
    this.issues = issues;
  }
}

/** A link whose origin or target node does not exist in the workflow. */
export class MissingLinkNodeError extends WorkflowError {
  readonly linkId: number | string;
  constructor(linkId: number | string, message: string, options: WorkflowErrorOptions = {}) {
    super("missing_link_node", message, options);
    this.linkId = linkId;
  }
}

/**
 * A node type the catalog does not know (a custom node pack that is not installed), or lists with a
 * definition that could not be read (`problem`, from `catalog.problems`).
 */
export class UnknownNodeTypeError extends WorkflowError {
  readonly classType: string;
  /** Why the catalog's definition of the class could not be read, when it lists one. */
  readonly problem: CatalogProblem | undefined;
  constructor(
    nodeId: string,
    classType: string,
    options: WorkflowErrorOptions = {},
    problem?: CatalogProblem,
  ) {
    const keep = 'or convert with `unknownNodes: "keep"` (CLI: --keep-unknown) to keep it untyped';
    super(
      "unknown_node_type",
      problem
        ? `node ${nodeId}: the catalog has "${classType}", but its definition could not be read ` +
            `(${problem.path ? `${problem.path}: ` : ""}${problem.message}). Update or fix the node pack that ` +
            `provides it and fetch /object_info again, ${keep}`
        : `node ${nodeId} has type "${classType}", which the catalog does not define: install the custom node ` +
            `pack that provides it and fetch /object_info again, ${keep}`,
      { ...options, nodeId },
    );
    this.classType = classType;
    this.problem = problem;
  }
}

/** `widgets_values` that cannot be matched with the node's widget inputs. */
export class WidgetValuesError extends WorkflowError {
  constructor(nodeId: string, message: string, options: WorkflowErrorOptions = {}) {
    super("invalid_widget_values", `node ${nodeId}: ${message}`, { ...options, nodeId });
  }
}

/** A subgraph instance whose definition is missing or inconsistent. */
export class SubgraphError extends WorkflowError {
  constructor(nodeId: string, message: string, options: WorkflowErrorOptions = {}) {
    super("invalid_subgraph", `node ${nodeId}: ${message}`, { ...options, nodeId });
  }
}

/** An image without ComfyUI's `prompt` / `workflow` metadata. */
export class NoWorkflowMetadataError extends WorkflowError {
  constructor(message: string, options: WorkflowErrorOptions = {}) {
    super("no_metadata", message, options);
  }
}

/** Bytes that are not a PNG or WebP file (or a damaged one). */
export class ImageFormatError extends WorkflowError {
  constructor(message: string, options: WorkflowErrorOptions = {}) {
    super("invalid_image", message, options);
  }
}
