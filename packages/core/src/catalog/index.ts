export { CatalogError, type CatalogErrorCode } from "./catalog-error.js";
export { getInput, getNode, outputNodeClasses, requireNode } from "./lookup.js";
export {
  JsonCycleError,
  JsonNestingError,
  JsonSyntaxError,
  type JsonTextPosition,
  parseJsonLossless,
  type StringifyJsonOptions,
  stringifyJsonLossless,
} from "./lossless-json.js";
export { splitTypes, V3_TYPES } from "./normalize-input.js";
export { parseCatalog, parseCatalogText } from "./parse-catalog.js";
export { catalogToJson, catalogToWire } from "./serialize-catalog.js";
export * from "./types.js";
