// Model-free pipeline: string nodes, whose result is a text output (PreviewAny).
import { workflow } from "@comfy-ts/core";
import { CaseConverter, PreviewAny, StringConcatenate, StringReplace } from "../generated/local/nodes.js";

/** Builds a caption from parts: concatenate, replace a word, convert case. */
export const caption = workflow(({ subject = "a red bottle", style = "studio photo" }) => {
  const joined = StringConcatenate({ string_a: subject, string_b: style, delimiter: ", " });
  const replaced = StringReplace({ string: joined, find: "photo", replace: "lighting" });
  return { caption: PreviewAny({ source: CaseConverter({ string: replaced, mode: "Title Case" }) }) };
});

export default caption;
