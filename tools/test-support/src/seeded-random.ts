/**
 * A small deterministic random source (mulberry32) for generated test cases: the same seed gives the
 * same cases on every machine, so a failing case can be replayed from the seed and its index.
 */
export interface SeededRandom {
  /** The seed this source started from. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of `items` (which must not be empty). */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** An independent source derived from this one (for a sub-generator whose draws must not shift others). */
  fork(): SeededRandom;
}

const DEFAULT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    seed,
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[int(items.length)] as (typeof items)[number];
    },
    string: (length, alphabet = DEFAULT_ALPHABET) => {
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[int(alphabet.length)];
      return out;
    },
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    fork: () => seededRandom(Math.floor(next() * 4294967296)),
  };
}

/** The seed of a generated suite: `COMFY_TS_FUZZ_SEED` when set (to replay a run), else `fixed`. */
export function fuzzSeed(fixed: number): number {
  const given = process.env.COMFY_TS_FUZZ_SEED;
  if (given === undefined || given.trim() === "") return fixed;
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`COMFY_TS_FUZZ_SEED must be an integer from 0 to 4294967295, got "${given}"`);
  }
  return seed;
}
