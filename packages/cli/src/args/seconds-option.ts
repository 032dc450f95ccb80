import { UsageError } from "../usage-error.js";

/** Node's timers fire at once beyond 2^31 − 1 ms: the longest bound a flag may ask for, in seconds. */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface SecondsOptions {
  /**
   * The flag took milliseconds in earlier versions (codegen, import, export): a bare value of 1000
   * or more is refused as probably milliseconds, with the seconds to write instead. `1000s` is
   * accepted for whoever means it.
   */
  readonly wasMilliseconds?: boolean;
}

/**
 * A duration flag, in seconds as every comfy-ts command takes it (`--timeout 30`, `1.5`, `30s`),
 * returned in milliseconds. Refuses anything else with a message that names the flag and the fix:
 * `ms` values, negative numbers, zero, and bounds Node's timers cannot keep.
 */
export function secondsOption(flag: string, text: string, options: SecondsOptions = {}): number {
  const ms = /^(\d+(?:\.\d+)?|\.\d+)ms$/.exec(text.trim());
  if (ms) {
    const seconds = Number(ms[1]) / 1000;
    throw new UsageError(`${flag} is in seconds, not milliseconds: for ${text} write ${flag} ${seconds}`);
  }
  const match = /^(\d+(?:\.\d+)?|\.\d+)(s?)$/.exec(text.trim());
  const seconds = match ? Number(match[1]) : Number.NaN;
  if (!match || !(seconds > 0) || seconds > MAX_SECONDS) {
    throw new UsageError(
      `${flag} must be a number of seconds > 0 and ≤ ${MAX_SECONDS}, got "${text}"` +
        (/^-/.test(text.trim()) ? " (a bound cannot be negative)" : ""),
    );
  }
  if (options.wasMilliseconds && match[2] === "" && seconds >= 1000) {
    throw new UsageError(
      `${flag} is in seconds (it took milliseconds in earlier versions): ${text} would be ${spoken(seconds)}. ` +
        `Write ${flag} ${seconds / 1000} for ${seconds} ms, or ${flag} ${text}s if you mean ${spoken(seconds)}`,
    );
  }
  return Math.round(seconds * 1000);
}

/** `30000` → "8 h 20 min", `90` → "1 min 30 s". */
function spoken(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h} h` : "", m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean).join(" ") || "0 s";
}
