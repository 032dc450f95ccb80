import type { Link } from "./output.js";

/** An INT widget: a number, a `bigint` (seeds up to 2^64−1 compile to exact digits), or an INT link. */
export type IntInput = number | bigint | Link<"INT">;
/** A FLOAT widget: a number or a FLOAT link. */
export type FloatInput = number | Link<"FLOAT">;
/** A STRING widget: a string or a STRING link. */
export type StringInput = string | Link<"STRING">;
/** A BOOLEAN widget: a boolean or a BOOLEAN link. */
export type BooleanInput = boolean | Link<"BOOLEAN">;
/** A COMBO with fixed options: one of them, or a COMBO link. */
export type ComboInput<V extends string | number> = V | Link<"COMBO">;
/**
 * A COMBO that names files on one server (checkpoints, LoRAs, input images): the known values are
 * offered for autocompletion, but any string is accepted, so the same code works on every machine.
 */
export type FileInput<Known extends string = never> = Known | (string & {}) | Link<"COMBO">;
/** A list-valued literal (compiled as `{"__value__": [...]}`) or a link. */
export type ListInput<T extends string = string> = readonly unknown[] | Link<T>;
