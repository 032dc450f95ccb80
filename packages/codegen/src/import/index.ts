export {
  describeKeptInEditor,
  type EditorImport,
  importEditorWorkflow,
  type KeptInEditor,
} from "./editor-import.js";
export {
  assertAcyclicPrompt,
  type EditorNote,
  type EmittedWorkflow,
  type EmitWorkflowOptions,
  emitWorkflowModule,
  literal,
  type WorkflowParameter,
} from "./emit-workflow-module.js";
export { camelName, NameScope } from "./variable-names.js";
