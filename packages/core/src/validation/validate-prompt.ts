import { assertNodeCatalog } from "../catalog/assert-catalog.js";
import { describe, isPlainObject as isObject } from "../catalog/normalize-input.js";
import { optionLiteral } from "../catalog/source-text.js";
import type { NodeCatalog, NodeDef } from "../catalog/types.js";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { ComfyError } from "../errors.js";
import {
  PythonException,
  pyBool,
  pyCompare,
  pyEquals,
  pyFloat,
  pyFloatRepr,
  pyInt,
  pyRepr,
  pyStr,
  pyTypeName,
} from "../python/values.js";
import { type ComfyErrorInfo, type ComfyNodeError, comfyErrors, type InputConfig } from "./comfy-errors.js";
import { CORE_CUSTOM_VALIDATORS, type CustomValidator } from "./custom-validators.js";
import { effectiveInputs } from "./effective-inputs.js";
import { buildIssues, type CycleFinding, type IssueHint, type ValidationIssue } from "./issues.js";
import { typesMatch } from "./type-match.js";

/**
 * Which ComfyUI to answer like.
 * - `"0.3.65"` (default; the recorded server): unknown or class-less nodes are `invalid_prompt`;
 *   a cycle fails its outputs without any `node_errors`; `["COMBO", {options}]` inputs (V3 nodes)
 *   are not checked against their options; a legacy combo output may not feed a `"COMBO"` input.
 * - `"latest"` (ComfyUI 2026): `missing_node_type`, `dependency_cycle` errors,
 *   `"COMBO"` options checked (each element for multiselect lists), list → `"COMBO"` links accepted.
 */
export type ValidationCompat = "0.3.65" | "latest";

export interface ValidatePromptOptions {
  /** Default `"0.3.65"`. */
  readonly compat?: ValidationCompat;
  /** Validate (and run) only these output node ids (`partial_execution_targets`). */
  readonly partialExecutionTargets?: readonly string[] | null;
  /**
   * Per class: the node's own validation. Merged over `CORE_CUSTOM_VALIDATORS` (which only exempt
   * LoadImage's `image` etc. from the combo check); `null` removes one.
   */
  readonly customValidators?: Readonly<Record<string, CustomValidator | null>>;
  /**
   * How unknown classes and nodes without `class_type` are reported, overriding `compat`:
   * `"invalid_prompt"` (ComfyUI ≤ 2026-01) or `"missing_node_type"` (newer, with node id and title).
   */
  readonly missingNodeErrors?: "invalid_prompt" | "missing_node_type";
  /**
   * The frames of ComfyUI's validation code (`execution.py`) for the Python tracebacks in the
   * `extra_info.traceback` of `exception_during_*` errors. A server that answers as ComfyUI supplies
   * them (the local server does); without, those tracebacks hold only frames of custom validators.
   */
  readonly frames?: ValidationFrames;
}

/**
 * Where ComfyUI's `validate_inputs` / `validate_prompt` raise or await, each as the frames
 * (`traceback.format_tb` strings) that place contributes to a traceback.
 */
export interface ValidationFrames {
  /** `validate_prompt` awaiting an output node. */
  outerCall(): readonly string[];
  /** `validate_inputs` of a consumer awaiting its linked node. */
  innerCall(): readonly string[];
  /** `prompt[unique_id]['inputs']` of a node without `inputs`. */
  missingInputs(): readonly string[];
  /** `prompt[o_id]['class_type']` with a link to a node id that is not in the prompt. */
  missingNode(): readonly string[];
  /** `RETURN_TYPES[val[1]]` with a bad output index. */
  outputIndex(): readonly string[];
  /** A min or max comparison of values Python cannot order. */
  compare(which: "min" | "max"): readonly string[];
}

const NO_FRAMES: ValidationFrames = {
  outerCall: () => [],
  innerCall: () => [],
  missingInputs: () => [],
  missingNode: () => [],
  outputIndex: () => [],
  compare: () => [],
};

/** What validation found, in ComfyUI's shapes and as readable issues. */
export interface PromptValidationResult {
  /** The HTTP status ComfyUI answers `POST /prompt` with: 200 (queued, maybe with node_errors) or 400. */
  readonly status: 200 | 400;
  /** No problem at all (status 200 and empty `nodeErrors`). */
  readonly valid: boolean;
  /** The top-level error of a 400 answer. */
  readonly error: ComfyErrorInfo | undefined;
  /** `node_errors`, keyed by node id. Non-empty on 200 when some outputs failed and others passed. */
  readonly nodeErrors: Record<string, ComfyNodeError>;
  /** Output node ids that passed (`outputs_to_execute`), in prompt order. */
  readonly outputs: string[];
  /** The prompt as ComfyUI queues it: INT/FLOAT/STRING/BOOLEAN literals coerced, `__value__` unwrapped (a copy). */
  readonly prompt: ApiPrompt;
  /** Every problem, with node id, class, input and the author's file:line when the prompt came from `compile()`. */
  readonly issues: readonly ValidationIssue[];
}

interface NodeResult {
  readonly ok: boolean;
  readonly errors: ComfyErrorInfo[];
}

/** A node being validated: its generator waits for the result of a linked node. */
interface Frame {
  readonly id: string;
  readonly gen: Generator<string, NodeResult, NodeResult>;
}

type Outcome = { readonly result: NodeResult } | { readonly error: PythonException };

/**
 * Validates an API prompt against a catalog the way ComfyUI's `POST /prompt` does,
 * reporting every problem in one pass, with the server's error types, messages and body shapes.
 *
 * @example
 * const result = validatePrompt(compile(graph), catalog);
 * if (result.status === 400) throw new ValidationError(result);
 * // result.nodeErrors → { "3": { errors: [{ type: "value_smaller_than_min", message: "Value 0 smaller than min of 1", … }], dependent_outputs: ["9"], class_type: "KSampler" } }
 */
export function validatePrompt(
  prompt: ApiPrompt,
  catalog: NodeCatalog,
  options: ValidatePromptOptions = {},
): PromptValidationResult {
  checkArguments(prompt, catalog);
  return new PromptValidator(prompt, catalog, options).run();
}

/** Wrong arguments (not server input) are the caller's bug: say so instead of a TypeError deep inside. */
function checkArguments(prompt: unknown, catalog: unknown): void {
  // An empty list is what Python iterates as no nodes (`validatePromptRequest` relies on it).
  if (typeof prompt !== "object" || prompt === null || (Array.isArray(prompt) && prompt.length > 0)) {
    throw new ComfyError(
      "invalid_prompt",
      `cannot validate ${describe(prompt)}: pass an API prompt, an object keyed by node id as compile() returns ({"3": {"class_type": "KSampler", "inputs": {…}}, …})`,
    );
  }
  assertNodeCatalog(catalog, "validate against");
}

class PromptValidator {
  private readonly work: Record<string, unknown>;
  private readonly compat: ValidationCompat;
  private readonly newMissingNodeErrors: boolean;
  private readonly frames: ValidationFrames;
  private readonly validators: Readonly<Record<string, CustomValidator | null>>;
  private readonly validated = new Map<string, NodeResult>();
  private readonly visiting: string[] = [];
  private readonly onPath = new Set<string>();
  private readonly cycleErrors = new Map<string, ComfyErrorInfo>();
  private readonly cycles: CycleFinding[] = [];
  private readonly hints = new Map<string, IssueHint>();

  constructor(
    private readonly original: ApiPrompt,
    private readonly catalog: NodeCatalog,
    private readonly options: ValidatePromptOptions,
  ) {
    // ComfyUI coerces the live prompt; we coerce a copy so the caller's object stays as it was.
    this.work = (Array.isArray(original) ? {} : structuredClone(original)) as Record<string, unknown>;
    this.compat = options.compat ?? "0.3.65";
    this.newMissingNodeErrors =
      (options.missingNodeErrors ?? (this.compat === "latest" ? "missing_node_type" : "invalid_prompt")) ===
      "missing_node_type";
    this.frames = options.frames ?? NO_FRAMES;
    this.validators = { ...CORE_CUSTOM_VALIDATORS, ...options.customValidators };
  }

  run(): PromptValidationResult {
    const outputs: string[] = [];
    const targets = this.options.partialExecutionTargets;
    for (const id of Object.keys(this.work)) {
      const node = this.work[id];
      if (!isObject(node) || !("class_type" in node)) {
        const error = this.newMissingNodeErrors
          ? comfyErrors.missingClassTypeV2(id, titleOf(node))
          : comfyErrors.missingClassType(id);
        return this.finish(400, error, {}, []);
      }
      const classType = node["class_type"];
      const def = typeof classType === "string" ? this.catalog.nodes.get(classType) : undefined;
      if (!def) {
        const name = pyStr(classType);
        const error = this.newMissingNodeErrors
          ? comfyErrors.unknownClassV2(id, name, titleOf(node))
          : comfyErrors.unknownClass(id, name);
        return this.finish(400, error, {}, []);
      }
      if (def.outputNode && (targets == null || targets.includes(id))) outputs.push(id);
    }
    if (outputs.length === 0) return this.finish(400, comfyErrors.noOutputs(), {}, []);

    const good: string[] = [];
    const failed: [string, ComfyErrorInfo[]][] = [];
    const nodeErrors: Record<string, ComfyNodeError> = {};
    for (const o of outputs) {
      let result: NodeResult;
      try {
        result = this.validateNode(o);
      } catch (e) {
        if (!(e instanceof PythonException)) throw e;
        result = {
          ok: false,
          errors: [comfyErrors.outerException(e.type, e.message, [...this.frames.outerCall(), ...e.frames])],
        };
        this.validated.set(o, result);
      }
      if (result.ok) {
        good.push(o);
        continue;
      }
      failed.push([o, result.errors]);
      // As ComfyUI does: every node validated so far that has errors gets this output as dependent.
      for (const [id, r] of this.validated) {
        if (r.ok || r.errors.length === 0) continue;
        nodeErrors[id] ??= {
          errors: r.errors,
          dependent_outputs: [],
          class_type: String(this.nodeOf(id)?.["class_type"]),
        };
        nodeErrors[id].dependent_outputs.push(o);
      }
    }
    if (good.length === 0) {
      const details = failed
        .flatMap(([, errors]) => errors.map((e) => `${e.message}: ${e.details}`))
        .join("\n");
      return this.finish(400, comfyErrors.outputsFailed(details), nodeErrors, good);
    }
    return this.finish(200, undefined, nodeErrors, good);
  }

  private finish(
    status: 200 | 400,
    error: ComfyErrorInfo | undefined,
    nodeErrors: Record<string, ComfyNodeError>,
    outputs: string[],
  ): PromptValidationResult {
    const issues = buildIssues({
      prompt: this.original,
      error,
      nodeErrors,
      hints: this.hints,
      cycles: this.compat === "latest" ? [] : this.cycles,
    });
    return {
      status,
      valid: status === 200 && Object.keys(nodeErrors).length === 0,
      error,
      nodeErrors,
      outputs,
      prompt: this.work as ApiPrompt,
      issues,
    };
  }

  private nodeOf(id: string): Record<string, unknown> | undefined {
    const node = this.work[id];
    return isObject(node) ? node : undefined;
  }

  /**
   * ComfyUI's recursive `validate_inputs(prompt, id, validated)`; throws `PythonException` where
   * Python raises. Each node's check is a generator that yields the ids of linked nodes and resumes
   * with their result (or their exception), driven here with an explicit stack so that long chains
   * do not exhaust the JavaScript call stack.
   */
  private validateNode(root: string): NodeResult {
    const first = this.enter(root);
    if ("done" in first) return first.done;
    const stack: Frame[] = [first];
    let input: Outcome | undefined;
    while (true) {
      const top = stack[stack.length - 1]!;
      let step: IteratorResult<string, NodeResult>;
      try {
        if (input === undefined) step = top.gen.next();
        else if ("error" in input) step = top.gen.throw(input.error);
        else step = top.gen.next(input.result);
      } catch (e) {
        this.leave(stack);
        if (!(e instanceof PythonException) || stack.length === 0) throw e;
        input = { error: e };
        continue;
      }
      input = undefined;
      if (step.done) {
        this.validated.set(top.id, step.value);
        this.leave(stack);
        if (stack.length === 0) return step.value;
        input = { result: step.value };
        continue;
      }
      const next = this.enter(step.value);
      if ("done" in next) input = { result: next.done };
      else stack.push(next);
    }
  }

  /** A memoized result, a cycle, or a new frame for `id`. */
  private enter(id: string): { done: NodeResult } | Frame {
    const memo = this.validated.get(id);
    if (memo) return { done: memo };
    if (this.onPath.has(id)) {
      // Python recurses until RecursionError; the net effect is that the cycle's nodes fail with
      // only their own errors. Newer servers report the cycle itself.
      const ids = [...this.visiting.slice(this.visiting.indexOf(id)), id];
      const cycle = ids.map((n) => ({ id: n, classType: String(this.nodeOf(n)?.["class_type"]) }));
      this.cycles.push({ nodeId: id, cycle });
      if (this.compat === "latest" && !this.cycleErrors.has(id))
        this.cycleErrors.set(id, comfyErrors.dependencyCycle(id, cycle));
      return { done: { ok: false, errors: [] } };
    }
    this.visiting.push(id);
    this.onPath.add(id);
    return { id, gen: this.validateInputs(id) };
  }

  private leave(stack: Frame[]): void {
    stack.pop();
    const id = this.visiting.pop();
    if (id !== undefined) this.onPath.delete(id);
  }

  private *validateInputs(id: string): Generator<string, NodeResult, NodeResult> {
    const node = this.nodeOf(id)!;
    if (!("inputs" in node)) {
      this.hints.set(id, { nodeId: id, input: undefined, text: "the node has no `inputs` object" });
      throw new PythonException("KeyError", "'inputs'", [...this.frames.missingInputs()]);
    }
    const inputs: Record<string, unknown> = isObject(node["inputs"]) ? node["inputs"] : {};
    const classType = String(node["class_type"]);
    const def = this.catalog.nodes.get(classType)!;
    const validator = this.validators[classType] ?? undefined;
    const consumes = (x: string) =>
      validator !== undefined && (validator.inputs === "all" || validator.inputs.includes(x));
    const errors: ComfyErrorInfo[] = [];
    const receivedTypes: Record<string, unknown> = {};
    let valid = true;

    for (const eff of effectiveInputs(def, inputs)) {
      const x = eff.key;
      if (!Object.hasOwn(inputs, x)) {
        if (eff.required) errors.push(comfyErrors.requiredInputMissing(x));
        continue;
      }
      let val = inputs[x];
      const spec = eff.def.spec;
      const inputType = spec[0];
      const extra: Record<string, unknown> = isObject(spec[1]) ? spec[1] : {};
      const config: InputConfig = [inputType, spec.length > 1 ? spec[1] : {}];

      if (Array.isArray(val)) {
        if (val.length !== 2) {
          errors.push(comfyErrors.badLinkedInput(x, config, val));
          continue;
        }
        const link = val;
        const sourceId = this.linkedNodeId(id, x, link[0]);
        const received = this.returnType(id, x, sourceId, link[1]);
        receivedTypes[x] = received;
        if (
          !validator?.inputTypes &&
          !typesMatch(received, inputType, { listIntoCombo: this.compat === "latest" })
        ) {
          errors.push(
            comfyErrors.returnTypeMismatch(x, config, received, pyStr(received), pyStr(inputType), link),
          );
          continue;
        }
        try {
          const r: NodeResult = yield sourceId;
          if (!r.ok) valid = false;
        } catch (e) {
          if (!(e instanceof PythonException)) throw e;
          valid = false;
          const frames = [...this.frames.innerCall(), ...e.frames];
          this.validated.set(sourceId, {
            ok: false,
            errors: [comfyErrors.innerException(x, config, link, e.type, e.message, frames)],
          });
        }
        continue;
      }

      if (isObject(val) && "__value__" in val) {
        val = val["__value__"];
        inputs[x] = val;
      }
      try {
        val = coerce(inputType, val);
        if (inputType === "INT" || inputType === "FLOAT" || inputType === "STRING" || inputType === "BOOLEAN")
          inputs[x] = val;
      } catch (e) {
        if (!(e instanceof PythonException)) throw e;
        errors.push(comfyErrors.invalidInputType(x, config, pyStr(inputType), val, pyStr(val), e.message));
        continue;
      }
      if (consumes(x)) continue;
      const asFloat = inputType === "FLOAT";
      if ("min" in extra && this.compare("<", val, extra["min"], "min")) {
        errors.push(
          comfyErrors.smallerThanMin(
            x,
            config,
            val,
            pyStr(val, asFloat),
            this.boundText(classType, x, "min", extra["min"], asFloat),
          ),
        );
        continue;
      }
      if ("max" in extra && this.compare(">", val, extra["max"], "max")) {
        errors.push(
          comfyErrors.biggerThanMax(
            x,
            config,
            val,
            pyStr(val, asFloat),
            this.boundText(classType, x, "max", extra["max"], asFloat),
          ),
        );
        continue;
      }
      const options = this.comboOptions(inputType, extra);
      if (options) {
        const multi = extra["multiselect"] === true && Array.isArray(val);
        const ok = multi
          ? (val as unknown[]).every((v) => options.some((o) => pyEquals(o, v)))
          : options.some((o) => pyEquals(o, val));
        if (!ok) {
          const long = options.length > 20;
          errors.push(
            comfyErrors.notInList(
              x,
              long ? null : config,
              val,
              pyStr(val),
              long ? `(list of length ${options.length})` : pyRepr(options),
            ),
          );
        }
      }
    }

    if (validator?.validate) this.runCustom(id, classType, validator, inputs, def, receivedTypes, errors);
    const cycle = this.cycleErrors.get(id);
    if (cycle) errors.push(cycle);
    return { ok: errors.length === 0 && valid, errors };
  }

  /**
   * A bound as Python prints it: `1` or `1.0` as the server wrote it (read from the catalog's text
   * when there is one); otherwise FLOAT bounds print as floats, which most servers write.
   */
  private boundText(
    classType: string,
    input: string,
    key: "min" | "max",
    bound: unknown,
    asFloat: boolean,
  ): string {
    if (typeof bound === "number" && Number.isInteger(bound)) {
      const literal = optionLiteral(this.catalog, classType, input, key);
      if (literal !== undefined && Number(literal) === bound)
        return /[.eE]/.test(literal) ? pyFloatRepr(bound) : pyStr(bound);
    }
    return pyStr(bound, asFloat);
  }

  /** The options a literal must be one of, if any. */
  private comboOptions(inputType: unknown, extra: Record<string, unknown>): readonly unknown[] | undefined {
    if (Array.isArray(inputType)) return inputType;
    if (this.compat !== "latest") return undefined;
    if (inputType === "COMBO" && Array.isArray(extra["options"])) return extra["options"];
    if (inputType === "COMFY_DYNAMICCOMBO_V3" && Array.isArray(extra["options"])) {
      return extra["options"].map((o) => (isObject(o) ? o["key"] : o));
    }
    return undefined;
  }

  private compare(op: "<" | ">", val: unknown, bound: unknown, which: "min" | "max"): boolean {
    try {
      return pyCompare(op, val, bound);
    } catch (e) {
      if (e instanceof PythonException)
        throw new PythonException(e.type, e.message, [...this.frames.compare(which)]);
      throw e;
    }
  }

  /** `prompt[o_id]`: the id must be a key of the prompt (a string), as in Python. */
  private linkedNodeId(id: string, input: string, source: unknown): string {
    if (typeof source === "string" && Object.hasOwn(this.work, source)) return source;
    const frames = [...this.frames.missingNode()];
    const why =
      typeof source === "string"
        ? `links to node "${source}", which is not in the prompt`
        : `links to node ${pyRepr(source)}, but node ids in links must be strings ("${pyStr(source)}")`;
    this.hints.set(id, { nodeId: id, input, text: why });
    if (Array.isArray(source) || isObject(source)) {
      throw new PythonException("TypeError", `unhashable type: '${pyTypeName(source)}'`, frames);
    }
    throw new PythonException("KeyError", pyRepr(source), frames);
  }

  /** `RETURN_TYPES[index]` of the linked node, with Python's indexing rules. */
  private returnType(id: string, input: string, sourceId: string, index: unknown): unknown {
    const source = this.nodeOf(sourceId)!;
    const def = this.catalog.nodes.get(String(source["class_type"]))!;
    const types = rawOutputs(def);
    const frames = [...this.frames.outputIndex()];
    let i: number;
    if (typeof index === "boolean") i = index ? 1 : 0;
    else if (typeof index === "bigint") i = Number(index);
    else if (typeof index === "number" && Number.isInteger(index)) i = index;
    else {
      this.hints.set(id, {
        nodeId: id,
        input,
        text: `links to output ${pyRepr(index)} of node "${sourceId}"; output indexes are integers`,
      });
      throw new PythonException(
        "TypeError",
        `tuple indices must be integers or slices, not ${pyTypeName(index)}`,
        frames,
      );
    }
    const at = i < 0 ? i + types.length : i;
    if (at < 0 || at >= types.length) {
      const has = types.length === 1 ? "1 output" : `${types.length} outputs`;
      this.hints.set(id, {
        nodeId: id,
        input,
        text: `links to output ${i} of node "${sourceId}" (${def.classType}), which has ${has}`,
      });
      throw new PythonException("IndexError", "tuple index out of range", frames);
    }
    return types[at];
  }

  private runCustom(
    id: string,
    classType: string,
    validator: CustomValidator,
    inputs: Record<string, unknown>,
    def: NodeDef,
    receivedTypes: Record<string, unknown>,
    errors: ComfyErrorInfo[],
  ): void {
    const declared = new Set(def.inputs.map((i) => i.name));
    const values: Record<string, unknown> = {};
    for (const x of Object.keys(inputs)) {
      if (!declared.has(x)) continue;
      if (validator.inputs !== "all" && !validator.inputs.includes(x)) continue;
      values[x] = Array.isArray(inputs[x]) ? null : inputs[x];
    }
    if (validator.inputs !== "all") {
      const missing = validator.inputs.filter((x) => !Object.hasOwn(values, x));
      if (missing.length > 0) {
        const n = missing.length;
        const names = missing.map((m) => `'${m}'`).join(" and ");
        throw new PythonException(
          "TypeError",
          `VALIDATE_INPUTS() missing ${n} required positional argument${n > 1 ? "s" : ""}: ${names}`,
        );
      }
    }
    let r: true | false | string;
    try {
      r = validator.validate!({ nodeId: id, classType, values, inputTypes: receivedTypes });
    } catch (e) {
      // A validator that throws behaves like a VALIDATE_INPUTS that raises.
      if (e instanceof PythonException) throw e;
      throw new PythonException(
        e instanceof Error ? e.name : "Exception",
        e instanceof Error ? e.message : String(e),
      );
    }
    if (r === true) return;
    for (const x of Object.keys(values))
      errors.push(comfyErrors.customValidationFailed(x, r === false ? false : String(r)));
  }
}

/** ComfyUI's coercion of a literal by declared type (INT/FLOAT/STRING/BOOLEAN); other types pass through. */
function coerce(inputType: unknown, val: unknown): unknown {
  switch (inputType) {
    case "INT":
      return pyInt(val);
    case "FLOAT":
      return pyFloat(val);
    case "STRING":
      return pyStr(val);
    case "BOOLEAN":
      return pyBool(val);
    default:
      return val;
  }
}

/** `RETURN_TYPES` as the server has it: the raw `output` list (legacy combo outputs stay lists). */
function rawOutputs(def: NodeDef): readonly unknown[] {
  const raw = def.raw["output"];
  if (Array.isArray(raw)) return raw;
  if (typeof raw === "string") return [raw];
  return def.outputs.map((o) => o.comboOptions ?? o.type);
}

function titleOf(node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  const meta = node["_meta"];
  if (isObject(meta) && typeof meta["title"] === "string") return meta["title"];
  return typeof node["class_type"] === "string" ? node["class_type"] : undefined;
}
