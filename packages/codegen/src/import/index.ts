export {
  type EmittedWorkflow,
  type EmitWorkflowOptions,
  emitWorkflowModule,
  literal,
} from "./emit-workflow-module.js";
export { camelName, NameScope } from "./variable-names.js";
