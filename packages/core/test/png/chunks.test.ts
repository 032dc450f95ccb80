import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import {
  decodePngText,
  hasPngSignature,
  PNG_SIGNATURE,
  pngChunk,
  pngChunkCrcMatches,
  pngChunks,
  pngTextPayload,
  readPngHeader,
  readPngTextChunk,
} from "../../src/png/index.js";

const ihdr = Uint8Array.of(0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 1);
const file = Buffer.concat([
  PNG_SIGNATURE,
  pngChunk("IHDR", ihdr),
  pngChunk("tEXt", pngTextPayload("prompt", "{}")),
  pngChunk("IEND", new Uint8Array(0)),
]);

describe("pngChunks", () => {
  test("walks every chunk with offsets, lengths and matching CRCs", () => {
    const chunks = [...pngChunks(file)];
    expect(chunks.map((c) => [c.type, c.offset, c.length, c.whole])).toEqual([
      ["IHDR", 8, 13, true],
      ["tEXt", 33, 9, true],
      ["IEND", 54, 0, true],
    ]);
    expect(chunks.every((c) => pngChunkCrcMatches(file, c))).toBe(true);
    expect(chunks.at(-1)?.end).toBe(file.length);
    expect(readPngHeader(chunks[0]!.data)).toEqual({
      width: 3,
      height: 2,
      bitDepth: 8,
      colorType: 6,
      interlace: 1,
    });
  });

  test("a flipped payload byte fails the CRC", () => {
    const bad = Buffer.from(file);
    bad.writeUInt8(bad.readUInt8(18) ^ 1, 18);
    expect(pngChunkCrcMatches(bad, [...pngChunks(bad)][0]!)).toBe(false);
  });

  test.each([
    ["inside the payload", 33 + 8 + 3, "tEXt", false],
    ["inside the CRC", file.length - 2, "IEND", false],
  ])("a file cut %s yields that chunk once with whole: false, then stops", (_what, cut, type, whole) => {
    const chunks = [...pngChunks(file.subarray(0, cut))];
    expect(chunks.at(-1)).toMatchObject({ type, whole });
  });

  test("stops without yielding when fewer than 8 bytes of header are left", () => {
    expect([...pngChunks(file.subarray(0, 8 + 5))]).toEqual([]);
  });

  test("hasPngSignature", () => {
    expect(hasPngSignature(file)).toBe(true);
    expect(hasPngSignature(file.subarray(0, 7))).toBe(false);
    expect(hasPngSignature(Buffer.from("GIF89a.."))).toBe(false);
  });
});

describe("text chunks", () => {
  const itxt = (compressed: boolean, text: Uint8Array) =>
    Buffer.concat([
      Buffer.from("workflow\0"),
      Uint8Array.of(compressed ? 1 : 0, 0),
      Buffer.from("en\0\0"),
      text,
    ]);

  test.each([
    [
      "tEXt",
      Buffer.from("prompt\0caf\xe9", "latin1"),
      { keyword: "prompt", compressed: false, encoding: "latin1" },
      "café",
    ],
    [
      "comf",
      Buffer.from("workflow\0{}"),
      { keyword: "workflow", compressed: false, encoding: "latin1" },
      "{}",
    ],
    [
      "zTXt",
      Buffer.concat([Buffer.from("prompt\0\0"), deflateSync("{}")]),
      { keyword: "prompt", compressed: true },
      "{}",
    ],
    [
      "iTXt",
      itxt(false, Buffer.from("ünï")),
      { keyword: "workflow", compressed: false, encoding: "utf-8" },
      "ünï",
    ],
    ["iTXt", itxt(true, deflateSync(Buffer.from("ünï"))), { keyword: "workflow", compressed: true }, "ünï"],
  ] as const)("%s → keyword and text", (type, payload, expected, text) => {
    const chunk = readPngTextChunk(type, payload);
    expect(chunk).toMatchObject(expected);
    const bytes = chunk!.compressed ? inflateSync(chunk!.text) : chunk!.text;
    expect(decodePngText(bytes, chunk!.encoding)).toBe(text);
  });

  test.each([
    ["IDAT", Buffer.from("a\0b")],
    ["tEXt", Buffer.from("\0no keyword")],
    ["tEXt", Buffer.from("no separator")],
    ["iTXt", Buffer.from("key\0\0\0no-language-end")],
  ])("%s %j is not a text entry", (type, payload) => {
    expect(readPngTextChunk(type, payload)).toBeUndefined();
  });
});
