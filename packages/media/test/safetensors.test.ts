import { describe, expect, it } from "vitest";
import { CorruptMediaError, decodeSafetensors, encodeSafetensors, sniffMedia } from "../src/index.js";

const f32 = Float32Array.of(1.5, -2, 0.1, Number.NaN, 3e38, -0);

describe("safetensors", () => {
  it("round-trips F32 tensors and metadata, tensors sorted by name, recognised by sniffMedia", () => {
    const bytes = encodeSafetensors(
      {
        z: { dtype: "F32", shape: [2, 3], data: f32 },
        a: { dtype: "F32", shape: [0], data: new Float32Array(0) },
      },
      { prompt: '{"1": {}}' },
    );
    expect(sniffMedia(bytes)?.format).toBe("safetensors");
    const read = decodeSafetensors(bytes);
    expect(read.metadata).toEqual({ prompt: '{"1": {}}' });
    expect([...read.tensors.keys()]).toEqual(["a", "z"]);
    const z = read.tensors.get("z")!;
    expect(z.shape).toEqual([2, 3]);
    expect([...z.values()]).toEqual([...f32].map((v) => v));
    // The JSON header is padded to 8 bytes, as safetensors writes it.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it("widens F16, BF16 and the integer types exactly", () => {
    const u16 = (values: number[]) => new Uint8Array(Uint16Array.from(values).buffer);
    const bytes = encodeSafetensors({
      half: { dtype: "F16", shape: [5], data: u16([0x3c00, 0xc000, 0x0001, 0x7c00, 0x3555]) },
      brain: { dtype: "BF16", shape: [2], data: u16([0x3fc0, 0xbf80]) },
      i8: { dtype: "I8", shape: [2], data: Uint8Array.of(0xff, 5) },
      i64: { dtype: "I64", shape: [1], data: new Uint8Array(BigInt64Array.of(-3n).buffer) },
    });
    const read = decodeSafetensors(bytes);
    expect([...read.tensors.get("half")!.values()]).toEqual([
      1,
      -2,
      2 ** -24,
      Number.POSITIVE_INFINITY,
      0.333251953125,
    ]);
    expect([...read.tensors.get("brain")!.values()]).toEqual([1.5, -1]);
    expect([...read.tensors.get("i8")!.values()]).toEqual([-1, 5]);
    expect([...read.tensors.get("i64")!.values()]).toEqual([-3]);
  });

  const good = encodeSafetensors({ t: { dtype: "F32", shape: [4], data: Float32Array.of(1, 2, 3, 4) } });
  const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
  const withHeader = (json: string) => {
    const text = Buffer.from(json);
    const out = Buffer.alloc(8 + text.length + 16);
    out.writeBigUInt64LE(BigInt(text.length), 0);
    text.copy(out, 8);
    return out;
  };
  it.each([
    ["3 bytes", good.subarray(0, 3), /too short/],
    ["a cut header", good.subarray(0, 8 + headerLength - 4), /truncated: the header says/],
    ["cut tensor data", good.subarray(0, good.length - 4), /truncated: tensor "t" ends at byte 16/],
    ["JSON that does not parse", withHeader("{nope"), /the header is not JSON/],
    [
      "an unknown dtype",
      withHeader('{"t":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}'),
      /unknown dtype "F12"/,
    ],
    [
      "a shape its bytes do not hold",
      withHeader('{"t":{"dtype":"F32","shape":[3],"data_offsets":[0,4]}}'),
      /do not hold shape \[3\]/,
    ],
  ])("rejects %s with a CorruptMediaError naming the file", (_label, bytes, reason) => {
    let error: unknown;
    try {
      decodeSafetensors(bytes, { name: "goldens/x.latent" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CorruptMediaError);
    expect((error as CorruptMediaError).file).toBe("goldens/x.latent");
    expect((error as Error).message).toMatch(/^goldens\/x\.latent: /);
    expect((error as Error).message).toMatch(reason);
  });
});
