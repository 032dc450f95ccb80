/** The plain data between the structures stage and the text stage. */

/** One generated module: every node of a catalog, sorted by identifier (code units). */
export interface ModuleModel {
  readonly nodes: readonly NodeModel[];
  /** Class types the catalog listed but could not be parsed (reported, not generated). */
  readonly skipped: readonly { readonly classType: string; readonly reason: string }[];
}

export interface NodeModel {
  readonly classType: string;
  /** The exported factory name. */
  readonly identifier: string;
  /** JSDoc of the factory (markdown; no comment delimiters). */
  readonly docs: string;
  readonly deprecated: boolean;
  /** Properties of the factory's input type, in server order. */
  readonly inputs: readonly InputModel[];
  /** TypeScript text of the handle type the factory returns. */
  readonly handle: string;
  /** What the runtime needs (`NodeSpec` of `@comfy-ts/core`). */
  readonly spec: RuntimeSpec;
}

export interface InputModel {
  /** The key in the API prompt (dotted for V3 dynamic inputs). */
  readonly key: string;
  /** TypeScript text of the accepted values. */
  readonly type: string;
  readonly optional: boolean;
  readonly docs: string;
  /** An index signature (`[key: \`images.image${number}\`]`) rather than a property. */
  readonly pattern?: boolean;
}

export interface RuntimeSpec {
  readonly classType: string;
  readonly outputs: readonly (readonly [string, string] | readonly [string, string, true])[];
  readonly outputNode: boolean;
  readonly inputOrder: readonly string[];
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly displayName: string;
}
