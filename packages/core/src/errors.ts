const BRAND = Symbol.for("comfy-ts.error");

/**
 * The base of every error comfy-ts throws. `code` is stable and meant for programs; the message is
 * for people and says what was wrong, where, and what to do. `instanceof` works across duplicate
 * installs of the package (checked by a global symbol brand).
 */
export class ComfyError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null || !(BRAND in value)) return false;
    // Subclasses keep normal prototype checks; the brand only rescues the base class across copies.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about
    return this === ComfyError || Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
