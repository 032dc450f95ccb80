/**
 * Node classes with their own validation (`VALIDATE_INPUTS` in V1, `validate_inputs` in V3). The
 * catalog does not say which classes have one, yet it changes what ComfyUI checks: an input the
 * function receives is exempt from the built-in min/max/combo checks (LoadImage accepts
 * `sub/x.png` and `x.png [output]`, which are not in its combo list).
 */

/** What a custom validator receives. */
export interface CustomValidationContext {
  readonly nodeId: string;
  readonly classType: string;
  /** Literal values of the inputs the validator declares (linked inputs are `null`). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Output types of linked inputs, when the validator declares `inputTypes`. */
  readonly inputTypes: Readonly<Record<string, unknown>>;
}

/**
 * A node class's own validation. `validate` returns `true` when valid, or `false` / a reason
 * string, which becomes ComfyUI's `custom_validation_failed` error (`"<input> - <reason>"`) once per
 * declared input present in the prompt.
 */
export interface CustomValidator {
  /** Inputs the function takes by name (exempt from built-in checks), or `"all"` for `**kwargs`. */
  readonly inputs: readonly string[] | "all";
  /** The function takes `input_types`: link type checks of the node are skipped. */
  readonly inputTypes?: boolean;
  /** Without `validate` the inputs are only exempted (what a server with the files would accept). */
  readonly validate?: (context: CustomValidationContext) => true | false | string;
}

/**
 * The validators of ComfyUI's core nodes (0.3.65). They only exempt their inputs: whether a file
 * exists is known to the server alone, which passes real checks (see `fileExistsValidator`).
 */
export const CORE_CUSTOM_VALIDATORS: Readonly<Record<string, CustomValidator>> = {
  LoadImage: { inputs: ["image"] },
  LoadImageMask: { inputs: ["image"] },
  LoadImageOutput: { inputs: ["image"] },
  LoadLatent: { inputs: ["latent"] },
  LoadAudio: { inputs: ["audio"] },
  LoadVideo: { inputs: ["file"] },
};

const FILE_KIND: Readonly<Record<string, string>> = {
  LoadImage: "image",
  LoadImageMask: "image",
  LoadImageOutput: "image",
  LoadLatent: "latent",
  LoadAudio: "audio",
  LoadVideo: "video",
};

/**
 * The validator of a core file-loading node, given the server's own existence check. Produces
 * ComfyUI's reason, e.g. `"Invalid image file: does_not_exist.png"` for LoadImage.
 *
 * @example
 * validatePrompt(prompt, catalog, {
 *   customValidators: { LoadImage: fileExistsValidator("LoadImage", (name) => inputFileExists(name)) },
 * });
 */
export function fileExistsValidator(
  classType: keyof typeof CORE_CUSTOM_VALIDATORS,
  exists: (annotatedName: string) => boolean,
): CustomValidator {
  const base = CORE_CUSTOM_VALIDATORS[classType];
  const input = base && base.inputs !== "all" ? base.inputs[0] : undefined;
  if (!base || input === undefined) throw new TypeError(`no core file validator for ${String(classType)}`);
  const kind = FILE_KIND[classType] ?? "file";
  return {
    inputs: base.inputs,
    validate: ({ values }) => {
      const name = values[input];
      if (typeof name === "string" && exists(name)) return true;
      return `Invalid ${kind} file: ${typeof name === "string" ? name : String(name)}`;
    },
  };
}
