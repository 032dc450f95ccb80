/**
 * @comfy-ts/codegen — typed node factory modules from a ComfyUI server's `/object_info`.
 * Stages with plain data between them: `loadCatalog` (read) → core's `parseCatalogText` (parse) →
 * `buildModule` (structures) → `emitDeclarations`/`emitRuntime` (text) → `writeGenerated` (write).
 * `generate` runs the pure middle stages.
 * Workflows as modules (`emitWorkflowModule`, `importEditorWorkflow`) are in `@comfy-ts/codegen/import`:
 * they need core's workflow converters, which `comfy-ts codegen` does not load.
 */
export { buildModule } from "./build-module.js";
export {
  type CatalogDiff,
  type Change,
  catalogDiffJson,
  describeInputType,
  diffCatalogs,
  formatCatalogDiff,
  isEmptyDiff,
  type NodeChanges,
} from "./catalog-diff.js";
export { CodegenError, type CodegenErrorCode } from "./codegen-error.js";
export { emitDeclarations, emitRuntime } from "./emit-module.js";
export { FILE_INPUT_NAMES, isFileCombo } from "./file-combos.js";
export { type GeneratedFiles, type GenerateInput, generate } from "./generate.js";
export { headerText } from "./header.js";
export { MANIFEST_FILE, type Manifest, parseManifest, sha256 } from "./manifest.js";
export type { InputModel, ModuleModel, NodeModel, RuntimeSpec } from "./module-model.js";
export { assignIdentifiers, baseIdentifier, isIdentifier } from "./naming.js";
export { DEFAULT_MAX_COMBO_VALUES, type GenerateOptions, resolveOptions } from "./options.js";
export { type CatalogSource, type LoadedCatalog, loadCatalog, parseText } from "./read-catalog.js";
export { unifiedDiff } from "./unified-diff.js";
export { readPreviousManifest, type WriteReport, writeGenerated } from "./write-generated.js";
