import { CorruptMediaError, MediaInputError } from "./errors.js";

/**
 * safetensors (ComfyUI's `.latent` files are safetensors): a little-endian u64 header length, a JSON
 * header (`{name: {dtype, shape, data_offsets}}` plus an optional `__metadata__` of strings), then the
 * tensors' bytes. Reading and writing it is a dozen lines of layout, not a codec: no library needed.
 */

/** The element types of safetensors and their sizes in bytes. */
const DTYPE_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
} as const;

export type SafetensorsDtype = keyof typeof DTYPE_BYTES;

/** A tensor to write: its values already laid out in `dtype` (little-endian). */
export interface SafetensorInput {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** F32 data as a Float32Array, or any dtype's raw little-endian bytes. */
  readonly data: Float32Array | Uint8Array;
}

/** A tensor read from a file. */
export interface SafetensorTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** The raw little-endian bytes (a copy, aligned). */
  readonly bytes: Uint8Array;
  /** Every value widened to float64 (bf16/f16 exactly, i64 rounded to the nearest double). */
  values(): Float64Array;
}

export interface Safetensors {
  /** `__metadata__` (ComfyUI: `prompt`, `workflow` as JSON strings). */
  readonly metadata: Readonly<Record<string, string>>;
  /** The tensors, in the header's order. */
  readonly tensors: ReadonlyMap<string, SafetensorTensor>;
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === "string" && Object.hasOwn(DTYPE_BYTES, value);
}

/** Writes tensors (sorted by name, as the reference `safetensors.torch.save_file` does) and metadata. */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.byteLength !== elements * DTYPE_BYTES[t.dtype]) {
      throw new MediaInputError(
        `tensor "${name}": ${t.data.byteLength} bytes for shape [${t.shape.join(", ")}] of ${t.dtype} (expected ${elements * DTYPE_BYTES[t.dtype]})`,
      );
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const headerBytes = Buffer.from(json, "utf8");
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** float16 bits to a number (exact). */
function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function widen(dtype: SafetensorsDtype, bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const out = new Float64Array(n);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    switch (dtype) {
      case "F64":
        out[i] = view.getFloat64(i * 8, true);
        break;
      case "F32":
        out[i] = view.getFloat32(i * 4, true);
        break;
      case "F16":
        out[i] = half(view.getUint16(i * 2, true));
        break;
      case "BF16":
        // bfloat16 is the top half of a float32.
        scratch.setUint32(0, view.getUint16(i * 2, true) << 16);
        out[i] = scratch.getFloat32(0);
        break;
      case "I64":
        out[i] = Number(view.getBigInt64(i * 8, true));
        break;
      case "I32":
        out[i] = view.getInt32(i * 4, true);
        break;
      case "I16":
        out[i] = view.getInt16(i * 2, true);
        break;
      case "I8":
        out[i] = view.getInt8(i);
        break;
      default:
        out[i] = view.getUint8(i);
    }
  }
  return out;
}

/**
 * Reads a safetensors file. Throws `CorruptMediaError` naming `options.name` for anything that is not a
 * whole, consistent file: a header longer than the file, JSON that does not parse, an unknown dtype, a
 * tensor whose shape does not match its byte range, ranges outside the data.
 */
export function decodeSafetensors(bytes: Uint8Array, options: { readonly name?: string } = {}): Safetensors {
  const file = options.name ?? "safetensors data";
  const fail = (reason: string, cause?: unknown): never => {
    throw new CorruptMediaError(`${file}: ${reason}`, {
      ...(options.name ? { file: options.name } : {}),
      ...(cause ? { cause } : {}),
    });
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes: too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) {
    fail(`truncated: the header says ${length} bytes of JSON but only ${bytes.length - 8} bytes follow`);
  }
  const base = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, Number(length)).toString("utf8"));
  } catch (error) {
    fail(`the header is not JSON (${(error as Error).message})`, error);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header))
    fail("the header is not a JSON object");
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafetensorTensor>();
  const dataLength = bytes.length - base;
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry === "object" && entry !== null) {
        for (const [key, value] of Object.entries(entry))
          if (typeof value === "string") metadata[key] = value;
      }
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as Record<string, unknown>;
    if (!isDtype(dtype)) return fail(`tensor "${name}" has an unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      return fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
    ) {
      return fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [start, end] = offsets as [number, number];
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end < start || end - start !== elements * DTYPE_BYTES[dtype]) {
      fail(`tensor "${name}": bytes ${start}–${end} do not hold shape [${shape.join(", ")}] of ${dtype}`);
    }
    if (end > dataLength) {
      fail(`truncated: tensor "${name}" ends at byte ${end} of the data, which has ${dataLength} bytes`);
    }
    const raw = bytes.slice(base + start, base + end);
    let widened: Float64Array | undefined;
    tensors.set(name, {
      dtype,
      shape: shape as number[],
      bytes: raw,
      values: () => {
        widened ??= widen(dtype, raw);
        return widened;
      },
    });
  }
  return { metadata, tensors };
}
