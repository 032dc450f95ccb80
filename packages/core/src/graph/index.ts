export { defineNode, type HandleFor, type NodeFactory, node, nodeFactory } from "./factory.js";
export { GraphNode, type NodeOptions } from "./graph-node.js";
export {
  isNodeHandle,
  type MultiOutputNode,
  NODE,
  type NodeHandle,
  nodeOf,
  type OutputNode,
  type SingleOutputNode,
  type UntypedNode,
} from "./node-handle.js";
export { type NodeSpec, type OutputSpec, outputPropertyNames } from "./node-spec.js";
export {
  type AnyOutput,
  isOutput,
  type Link,
  type ListOutput,
  OUTPUT_REF,
  type Output,
  type OutputRef,
  outputRef,
  type SeveralOutputs,
} from "./output.js";
export { formatLocation, type SourceLocation } from "./source-location.js";
export type {
  BooleanInput,
  ComboInput,
  FileInput,
  FloatInput,
  IntInput,
  ListInput,
  StringInput,
} from "./widget-values.js";
export { buildGraph, type Graph, isGraph, isWorkflow, type Workflow, workflow } from "./workflow.js";
