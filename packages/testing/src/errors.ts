const BRAND = Symbol.for("comfy-ts.testing.error");

/**
 * Base class of every error `@comfy-ts/testing` throws. `code` is stable across versions: branch on it
 * (or on `instanceof` of a subclass), never on the message.
 */
export class ComfyTestingError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ComfyTestingError";
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for errors of this package, also across duplicate installs. */
  static is(value: unknown): value is ComfyTestingError {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}

/** A PNG that cannot be decoded: wrong signature, truncated, bad CRC, corrupt zlib stream, unsupported form. */
export class PngDecodeError extends ComfyTestingError {
  /** The file (or label) the bytes came from. */
  readonly source: string;
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super("ERR_PNG_DECODE", `cannot decode PNG ${source}: ${reason}`, options);
    this.name = "PngDecodeError";
    this.source = source;
  }
}

/** An invalid comparison or matcher option (value out of range, unknown key, wrong type). */
export class GoldenOptionsError extends ComfyTestingError {
  readonly option: string;
  constructor(option: string, message: string) {
    super("ERR_GOLDEN_OPTIONS", message);
    this.name = "GoldenOptionsError";
    this.option = option;
  }
}

/** A golden name that is empty, absolute, or would escape the golden folder. */
export class GoldenNameError extends ComfyTestingError {
  readonly goldenName: string;
  constructor(goldenName: string, reason: string) {
    super("ERR_GOLDEN_NAME", `invalid golden name ${JSON.stringify(goldenName)}: ${reason}`);
    this.name = "GoldenNameError";
    this.goldenName = goldenName;
  }
}

/** The matcher was used where it cannot work (no current test, not awaited value of the right type). */
export class GoldenUsageError extends ComfyTestingError {
  constructor(message: string) {
    super("ERR_GOLDEN_USAGE", message);
    this.name = "GoldenUsageError";
  }
}
