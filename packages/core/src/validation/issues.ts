import { isPlainObject as isRecord } from "../catalog/normalize-input.js";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { type NodeOrigin, promptOrigins } from "../compile/prompt-origins.js";
import { formatLocation, type SourceLocation } from "../graph/source-location.js";
import type { ComfyErrorInfo, ComfyNodeError } from "./comfy-errors.js";

/** One problem of a prompt, readable on its own, pointing at the node, the input and the author's code. */
export interface ValidationIssue {
  /** ComfyUI's error type (`value_smaller_than_min`, `invalid_prompt`, …). */
  readonly type: string;
  readonly nodeId: string | undefined;
  readonly classType: string | undefined;
  readonly input: string | undefined;
  /** Where the author created the node, when the prompt came from `compile()` (or origins were given). */
  readonly location: SourceLocation | undefined;
  /** What is wrong, as one sentence without the node/input prefix. */
  readonly text: string;
  /** The ComfyUI error object this issue was made from. */
  readonly error: ComfyErrorInfo;
}

/** A better sentence for an error whose ComfyUI form hides the cause (bad links raise inside validation). */
export interface IssueHint {
  readonly nodeId: string;
  readonly input: string | undefined;
  readonly text: string;
}

/** A cycle found while validating (ComfyUI 0.3.65 fails such outputs without saying why). */
export interface CycleFinding {
  readonly nodeId: string;
  readonly cycle: readonly { id: string; classType: string }[];
}

/** Where to look up node classes and source locations for a ComfyUI answer. */
export interface IssueContext {
  /** The prompt that was sent: supplies class types and, if it came from `compile()`, origins. */
  readonly prompt?: ApiPrompt | undefined;
  /** Origins to use instead of (or when there are none) `promptOrigins(prompt)`. */
  readonly origins?: ReadonlyMap<string, NodeOrigin> | undefined;
}

interface BuildInput {
  readonly prompt: ApiPrompt;
  readonly error: ComfyErrorInfo | undefined;
  readonly nodeErrors: Record<string, ComfyNodeError>;
  readonly hints: ReadonlyMap<string, IssueHint>;
  readonly cycles: readonly CycleFinding[];
}

/** Issues of a validation run (with the hints only the validator knows). */
export function buildIssues(input: BuildInput): ValidationIssue[] {
  const issues = issuesFromComfyBody(
    { error: input.error, node_errors: input.nodeErrors },
    { prompt: input.prompt },
  );
  const origins = promptOrigins(input.prompt);
  const withHints = issues.map((issue) => {
    const hint = issue.nodeId === undefined ? undefined : input.hints.get(issue.nodeId);
    if (!hint || !issue.type.startsWith("exception_during")) return issue;
    return {
      ...issue,
      input: hint.input,
      text: `${hint.text} (ComfyUI: ${issue.error.message}: ${issue.error.details})`,
    };
  });
  const seen = new Set<string>();
  for (const { nodeId, cycle } of input.cycles) {
    const key = [...cycle.map((n) => n.id)].sort().join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    const path = cycle.map((n) => `${n.id} (${n.classType})`).join(" -> ");
    withHints.push({
      type: "dependency_cycle",
      nodeId,
      classType: cycle[0]?.classType,
      input: undefined,
      location: origins?.get(nodeId)?.location,
      text: `dependency cycle ${path}; ComfyUI 0.3.65 rejects this without naming a node`,
      error: {
        type: "dependency_cycle",
        message: "Dependency cycle detected",
        details: path,
        extra_info: {},
      },
    });
  }
  return withHints;
}

/**
 * Readable issues from a ComfyUI validation answer (`{error, node_errors}`, as sent by any server,
 * including the old `{"error": "no prompt", "node_errors": []}` form).
 */
/**
 * A validation answer as an object. Proxies and crashed servers answer with anything: a text body
 * becomes the error, any other non-object an empty answer (rather than a TypeError on the error path).
 */
export function readComfyBody(body: unknown): { error?: unknown; node_errors?: unknown } {
  if (isRecord(body)) return body;
  return typeof body === "string" && body.trim() !== "" ? { error: body.trim() } : {};
}

export function issuesFromComfyBody(body: unknown, context: IssueContext = {}): ValidationIssue[] {
  const origins = context.origins ?? (context.prompt ? promptOrigins(context.prompt) : undefined);
  const classOf = (id: string): string | undefined => {
    const node = context.prompt?.[id];
    const t = node && typeof node === "object" ? node.class_type : undefined;
    return typeof t === "string" ? t : origins?.get(id)?.classType;
  };
  const issues: ValidationIssue[] = [];
  const { error: topError, node_errors } = readComfyBody(body);
  const nodeErrors = isRecord(node_errors) ? node_errors : {};
  for (const [id, entry] of Object.entries(nodeErrors)) {
    if (!isRecord(entry)) continue;
    const classType = typeof entry["class_type"] === "string" ? entry["class_type"] : classOf(id);
    const errors = Array.isArray(entry["errors"]) ? entry["errors"] : [];
    for (const raw of errors) {
      const error = toErrorInfo(raw);
      let input =
        typeof error.extra_info["input_name"] === "string" ? error.extra_info["input_name"] : undefined;
      let text = sentence(error, input);
      // ComfyUI reports a link to a missing node as a bare KeyError; say which input links where.
      const hint = error.type.startsWith("exception_during") ? brokenLink(context.prompt, id) : undefined;
      if (hint) {
        input = hint.input;
        text = `${hint.text} (ComfyUI: ${error.message}: ${error.details})`;
      }
      issues.push({
        type: error.type,
        nodeId: id,
        classType,
        input,
        location: origins?.get(id)?.location,
        text,
        error,
      });
    }
  }
  const top = topError === undefined || topError === null ? undefined : toErrorInfo(topError);
  // The generic "outputs failed" error only summarizes node_errors; keep it when it is all there is.
  if (top && (top.type !== "prompt_outputs_failed_validation" || issues.length === 0)) {
    const id =
      /Node ID '#(.*)'/.exec(top.details)?.[1] ??
      (typeof top.extra_info["node_id"] === "string" ? top.extra_info["node_id"] : undefined);
    issues.unshift({
      type: top.type,
      nodeId: id,
      classType: id === undefined ? undefined : classOf(id),
      input: undefined,
      location: id === undefined ? undefined : origins?.get(id)?.location,
      text: topSentence(top),
      error: top,
    });
  }
  return issues;
}

/** `node 3 (KSampler) input "steps" at src/x.ts:12:5: Value 0 smaller than min of 1` */
export function formatIssue(issue: ValidationIssue): string {
  const parts: string[] = [];
  if (issue.nodeId !== undefined)
    parts.push(`node ${issue.nodeId}${issue.classType ? ` (${issue.classType})` : ""}`);
  if (issue.input !== undefined) parts.push(`input "${issue.input}"`);
  if (issue.location) parts.push(`at ${formatLocation(issue.location)}`);
  return parts.length > 0 ? `${parts.join(" ")}: ${issue.text}` : issue.text;
}

function sentence(error: ComfyErrorInfo, input: string | undefined): string {
  const { type, message, details } = error;
  switch (type) {
    case "required_input_missing":
      return "required input is missing";
    case "value_smaller_than_min":
    case "value_bigger_than_max":
      return message;
    case "return_type_mismatch": {
      const config = error.extra_info["input_config"];
      const expected = Array.isArray(config) ? config[0] : undefined;
      const link = error.extra_info["linked_node"];
      const from = Array.isArray(link) ? ` (from node ${String(link[0])} output ${String(link[1])})` : "";
      return `${withArticle(typeText(error.extra_info["received_type"]))} output is linked to this ${typeText(expected)} input${from}`;
    }
    case "value_not_in_list":
      return `value not in list: ${stripInput(details, input)}`;
    case "invalid_input_type":
      return `${message}: ${stripInput(details, input)}`;
    case "custom_validation_failed":
      return details === input ? message : stripInput(details, input);
  }
  if (!details || details === input) return message;
  return `${message}: ${stripInput(details, input)}`;
}

/** "an IMAGE", "a MASK": the article by the type name's first letter, as it is read out. */
function withArticle(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? "an" : "a"} ${word}`;
}

function typeText(t: unknown): string {
  if (Array.isArray(t)) return "COMBO";
  return typeof t === "string" ? t : String(t);
}

function topSentence(error: ComfyErrorInfo): string {
  if (error.type === "prompt_outputs_failed_validation")
    return error.details ? `${error.message}: ${error.details}` : error.message;
  return error.message;
}

/** ComfyUI details start with the input name (`"steps"`, `"width, abc, …"`, `"x: 'a' not in …"`, `"image - …"`). */
function stripInput(details: string, input: string | undefined): string {
  if (!input) return details;
  for (const sep of [", ", ": ", " - "])
    if (details.startsWith(input + sep)) return details.slice(input.length + sep.length);
  return details;
}

/** A ComfyUI error object from any server's JSON (old servers sent a bare string). */
export function toErrorInfo(raw: unknown): ComfyErrorInfo {
  if (typeof raw === "string")
    return { type: raw.replaceAll(" ", "_"), message: raw, details: "", extra_info: {} };
  const r = isRecord(raw) ? raw : {};
  return {
    type: typeof r["type"] === "string" ? r["type"] : "unknown",
    message: typeof r["message"] === "string" ? r["message"] : String(r["message"] ?? ""),
    details: typeof r["details"] === "string" ? r["details"] : String(r["details"] ?? ""),
    extra_info: isRecord(r["extra_info"]) ? r["extra_info"] : {},
  };
}

/** The first input of node `id` (else of any node) that links to a node id the prompt lacks. */
function brokenLink(prompt: ApiPrompt | undefined, id: string): IssueHint | undefined {
  if (!prompt) return undefined;
  const find = (nodeId: string): IssueHint | undefined => {
    const inputs = prompt[nodeId]?.inputs;
    if (!inputs || typeof inputs !== "object") return undefined;
    for (const [name, value] of Object.entries(inputs)) {
      if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string") continue;
      if (!Object.hasOwn(prompt, value[0]))
        return { nodeId, input: name, text: `links to node "${value[0]}", which is not in the prompt` };
    }
    return undefined;
  };
  const own = find(id);
  if (own) return own;
  for (const other of Object.keys(prompt)) {
    const hint = find(other);
    if (hint)
      return { ...hint, input: undefined, text: `upstream node ${other} input "${hint.input}" ${hint.text}` };
  }
  return undefined;
}
