import { GoldenOptionsError } from "../errors.js";
import { GOLDEN_KINDS, type GoldenFormat, type GoldenKind } from "../outputs/output-kind.js";
import {
  type ComparatorChoice,
  type ComparatorOptions,
  type ResolvedChoice,
  resolveChoice,
  validateChoice,
} from "./comparator-choice.js";
import { SAMPLE_TYPE } from "./compare-outputs.js";

/**
 * The comparator (and its tolerances) per output kind, or per file format where formats of one kind
 * need different ones (a format key wins over its kind's). What `configureGoldens({ compare })` and
 * `environments` take, and what `comfy-ts calibrate` writes.
 */
export type ToleranceTable = { readonly [K in GoldenKind | GoldenFormat]?: ComparatorChoice };

/** Lossy formats: their samples change with the encoder's build, so exact equality is not the default. */
const LOSSY_AUDIO: readonly GoldenFormat[] = ["mp3", "opus", "vorbis"];

/**
 * Strict by default: identical decoded samples for every kind, except what lossy codecs make unstable
 * across encoder builds — video (per-frame PSNR) and MP3/Opus/Vorbis audio (SNR). Tighten them per
 * project or environment; loosen them only with the spread `comfy-ts calibrate` measured.
 */
export const DEFAULT_TOLERANCES: ToleranceTable = Object.freeze({
  image: { comparator: "exact" },
  animation: { comparator: "exact" },
  video: { comparator: "psnr", minDb: 40 },
  audio: { comparator: "exact" },
  ...Object.fromEntries(LOSSY_AUDIO.map((format) => [format, { comparator: "snr", minDb: 30 }])),
  latent: { comparator: "exact" },
  text: { comparator: "exact" },
});

const KEYS: readonly string[] = [
  ...GOLDEN_KINDS,
  "png",
  "apng",
  "jpeg",
  "gif",
  "webp",
  "bmp",
  "tiff",
  "mp4",
  "webm",
  "matroska",
  "flac",
  "wav",
  "mp3",
  "opus",
  "vorbis",
  "safetensors",
];

/** Checks a tolerance table eagerly: known kinds/formats, known comparators, their options. */
export function validateToleranceTable(input: unknown, where: string): void {
  if (input === undefined) return;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new GoldenOptionsError(
      where,
      `${where} must be an object by output kind, e.g. { image: { comparator: "exact" } }`,
    );
  }
  for (const [key, choice] of Object.entries(input)) {
    if (!KEYS.includes(key)) {
      throw new GoldenOptionsError(
        key,
        `unknown output kind or format \`${key}\` in ${where} (kinds: ${GOLDEN_KINDS.join(", ")}; formats: ${KEYS.slice(GOLDEN_KINDS.length).join(", ")})`,
      );
    }
    validateChoice(choice, `${where}.${key}`);
    const { comparator } = choice as { comparator?: unknown };
    if (comparator === undefined) {
      throw new GoldenOptionsError(
        key,
        `${where}.${key} must name its comparator, e.g. { comparator: "channel-delta", maxDelta: 2 }`,
      );
    }
  }
}

/** Where the comparator of one comparison comes from, weakest first. */
export interface ToleranceLayers {
  readonly kind: GoldenKind;
  readonly format: GoldenFormat;
  /** The project's table (`configureGoldens({ compare })`). */
  readonly project: ToleranceTable | undefined;
  /** The table of the server's environment (`configureGoldens({ environments: { [key]: … } })`). */
  readonly environment: ToleranceTable | undefined;
  readonly environmentKey: string | undefined;
  /** The test's own options (`toMatchGolden(name, { … })`), without the golden-location keys. */
  readonly test: ComparatorOptions | undefined;
}

/**
 * The comparator and tolerances deciding one comparison: defaults, the project's table, the
 * environment's, then the test's options — each level by kind, then by format. A level naming a
 * comparator starts over; options alone refine the comparator chosen so far. A comparator that cannot
 * compare this kind's samples is an error naming both.
 */
export function resolveTolerance(layers: ToleranceLayers): ResolvedChoice {
  const { kind, format } = layers;
  const env = layers.environmentKey ? `environments["${layers.environmentKey}"]` : "environments";
  const stack: [unknown, string][] = [
    [DEFAULT_TOLERANCES[kind], `default for ${kind}`],
    [DEFAULT_TOLERANCES[format], `default for ${format}`],
    [layers.project?.[kind], `compare.${kind}`],
    [layers.project?.[format], `compare.${format}`],
    [layers.environment?.[kind], `${env}.${kind}`],
    [layers.environment?.[format], `${env}.${format}`],
    [layers.test, "toMatchGolden options"],
  ];
  const used = stack.filter(([layer]) => layer !== undefined);
  const resolved = resolveChoice(
    used.map(([layer]) => layer),
    used.map(([, where]) => where),
  );
  const type = SAMPLE_TYPE[kind];
  if (!(resolved.comparator.accepts as readonly string[]).includes(type)) {
    throw new GoldenOptionsError(
      "comparator",
      `comparator "${resolved.comparator.name}" cannot compare ${kind} outputs (it compares ${resolved.comparator.accepts.join(", ")} samples; ${kind} outputs are ${type})`,
    );
  }
  return resolved;
}
