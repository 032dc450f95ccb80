/** Options of the generator (the text it emits depends only on the catalog and these). */
export interface GenerateOptions {
  /**
   * Most combo values written into a type. Longer option lists keep their first values for
   * autocompletion and accept any string (default 200).
   */
  readonly maxComboValues?: number;
  /**
   * Combo inputs that list files on the server, beyond those detected (upload flags, file extensions,
   * model-folder input names): `input_name` or `ClassType.input_name`.
   */
  readonly fileInputs?: readonly string[];
  /** Combo inputs never to treat as file lists (`input_name` or `ClassType.input_name`). */
  readonly fixedInputs?: readonly string[];
  /**
   * `"known"` (default): file-listing combos offer the server's files for autocompletion.
   * `"none"`: they are plain strings, so the generated code is the same on every machine.
   */
  readonly fileValues?: "known" | "none";
  /** The command that regenerates the files, quoted in the header. */
  readonly regenerateCommand?: string;
  /** Module the generated code imports the runtime from (default `@comfy-ts/core`). */
  readonly coreModule?: string;
}

export interface ResolvedOptions {
  readonly maxComboValues: number;
  readonly fileInputs: ReadonlySet<string>;
  readonly fixedInputs: ReadonlySet<string>;
  readonly fileValues: "known" | "none";
  readonly regenerateCommand: string;
  readonly coreModule: string;
}

export const DEFAULT_MAX_COMBO_VALUES = 200;

/** Resolves defaults in one place and validates values eagerly. */
export function resolveOptions(options: GenerateOptions = {}): ResolvedOptions {
  const max = options.maxComboValues ?? DEFAULT_MAX_COMBO_VALUES;
  if (!Number.isInteger(max) || max < 0) {
    throw new RangeError(`maxComboValues must be a non-negative integer, got ${max}`);
  }
  const fileValues = options.fileValues ?? "known";
  if (fileValues !== "known" && fileValues !== "none") {
    throw new RangeError(`fileValues must be "known" or "none", got ${JSON.stringify(fileValues)}`);
  }
  return {
    maxComboValues: max,
    fileInputs: new Set(options.fileInputs ?? []),
    fixedInputs: new Set(options.fixedInputs ?? []),
    fileValues,
    regenerateCommand: options.regenerateCommand ?? "comfy-ts codegen",
    coreModule: options.coreModule ?? "@comfy-ts/core",
  };
}
