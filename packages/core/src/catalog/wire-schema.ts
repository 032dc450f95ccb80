import { z } from "zod";

/**
 * The wire shape of one `/object_info` node definition (protocol §5.1), as loose as real servers
 * need: unknown keys are kept, `null` and absent are the same, and input specs are checked by the
 * normalizer (they vary too much between packs for a schema to say more than "array or string").
 */
const section = z.record(z.string(), z.unknown()).nullish();
const order = z.array(z.string()).nullish();
const flag = z.boolean().nullish();
const text = z.string().nullish();

export const nodeDefWireSchema = z.looseObject({
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
});

export type NodeDefWire = z.infer<typeof nodeDefWireSchema>;

/** The V3 Autogrow template (`options.template`). */
export const autogrowTemplateSchema = z.looseObject({
  input: z.looseObject({ required: section, optional: section }),
  names: z.array(z.string()).nullish(),
  prefix: text,
  min: z.number().nullish(),
  max: z.number().nullish(),
});

/** The V3 MatchType template (`options.template`). */
export const matchTypeTemplateSchema = z.looseObject({
  template_id: z.string(),
  allowed_types: z.union([z.string(), z.array(z.string())]).nullish(),
});

/** The V3 DynamicCombo choices (`options.options`). */
export const dynamicComboOptionsSchema = z.array(
  z.looseObject({
    key: z.union([z.string(), z.number()]),
    inputs: z.looseObject({ required: section, optional: section }).nullish(),
  }),
);
