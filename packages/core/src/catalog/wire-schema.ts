import { createRequire } from "node:module";
import type { z as Z } from "zod";

/**
 * The wire shapes of `/object_info` entries, as loose as real servers need: unknown keys are
 * kept, `null` and absent are the same, and input specs are checked by the normalizer (they vary too
 * much between packs for a schema to say more than "array or string").
 *
 * Built on first use: `wire-check.ts` accepts nearly every real node without zod, and loading zod
 * (~100 modules) costs a codegen run more than validating with it. The synchronous `require` keeps
 * `parseCatalog` synchronous.
 */
function build(z: typeof Z) {
  const section = z.record(z.string(), z.unknown()).nullish();
  const order = z.array(z.string()).nullish();
  const flag = z.boolean().nullish();
  const text = z.string().nullish();
  return {
    nodeDef: z.looseObject({
      input: z.looseObject({ required: section, optional: section, hidden: section }).nullish(),
      input_order: z.looseObject({ required: order, optional: order, hidden: order }).nullish(),
      output: z.array(z.union([z.string(), z.array(z.unknown())])).nullish(),
      output_is_list: z.array(z.boolean().nullable()).nullish(),
      output_name: z.array(z.string().nullable()).nullish(),
      output_tooltips: z.array(z.string().nullable()).nullish(),
      output_matchtypes: z.array(z.string().nullable()).nullish(),
      name: text,
      display_name: text,
      description: text,
      python_module: text,
      category: text,
      output_node: flag,
      deprecated: flag,
      experimental: flag,
      dev_only: flag,
      api_node: flag,
      is_input_list: flag,
      search_aliases: z.array(z.string()).nullish(),
    }),
    /** The V3 Autogrow template (`options.template`). */
    autogrowTemplate: z.looseObject({
      input: z.looseObject({ required: section, optional: section }),
      names: z.array(z.string()).nullish(),
      prefix: text,
      min: z.number().nullish(),
      max: z.number().nullish(),
    }),
    /** The V3 MatchType template (`options.template`). */
    matchTypeTemplate: z.looseObject({
      template_id: z.string(),
      allowed_types: z.union([z.string(), z.array(z.string())]).nullish(),
    }),
    /** The V3 DynamicCombo choices (`options.options`). */
    dynamicComboOptions: z.array(
      z.looseObject({
        key: z.union([z.string(), z.number()]),
        inputs: z.looseObject({ required: section, optional: section }).nullish(),
      }),
    ),
  };
}

export type WireSchemas = ReturnType<typeof build>;
export type NodeDefWire = Z.infer<WireSchemas["nodeDef"]>;
export type AutogrowTemplateWire = Z.infer<WireSchemas["autogrowTemplate"]>;
export type MatchTypeTemplateWire = Z.infer<WireSchemas["matchTypeTemplate"]>;
export type DynamicComboOptionsWire = Z.infer<WireSchemas["dynamicComboOptions"]>;

let schemas: WireSchemas | undefined;

/** The zod schemas of the wire shapes (zod is loaded on the first call). */
export function wireSchemas(): WireSchemas {
  if (!schemas) {
    const { z } = createRequire(import.meta.url)("zod") as { z: typeof Z };
    schemas = build(z);
  }
  return schemas;
}
