/**
 * Node types that exist only in the editor: they are never sent to the server. Links through the
 * reroute-like ones are followed to their source.
 */

/** Pass-through nodes with one input and one output: core `Reroute` and common custom packs' reroutes. */
export const REROUTE_TYPES: ReadonlySet<string> = new Set([
  "Reroute",
  "Reroute (rgthree)",
  "ReroutePrimitive|pysssss",
]);

/** KJNodes' named "virtual wires": a `GetNode` stands for the input of the `SetNode` with the same name. */
export const SET_NODE_TYPE = "SetNode";
export const GET_NODE_TYPE = "GetNode";

/** The editor's primitive widget node: its value is copied into the widgets it feeds. */
export const PRIMITIVE_NODE_TYPE = "PrimitiveNode";

/** Every frontend-only type dropped from API prompts. */
export const VIRTUAL_NODE_TYPES: ReadonlySet<string> = new Set([
  ...REROUTE_TYPES,
  PRIMITIVE_NODE_TYPE,
  SET_NODE_TYPE,
  GET_NODE_TYPE,
  "Note",
  "MarkdownNote",
  "Label (rgthree)",
  "Fast Groups Bypasser (rgthree)",
  "Fast Groups Muter (rgthree)",
  "Fast Bypasser (rgthree)",
  "Fast Muter (rgthree)",
  "Bookmark (rgthree)",
  "Note Plus (mtb)",
]);
