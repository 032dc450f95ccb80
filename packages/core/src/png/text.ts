/**
 * A text chunk's keyword and text. `compressed` texts are zlib streams still to be inflated (the caller
 * chooses how: sync zlib or the platform's DecompressionStream); `encoding` says how to decode the bytes.
 */
export interface PngTextChunk {
  readonly keyword: string;
  readonly text: Uint8Array;
  readonly compressed: boolean;
  /** tEXt and zTXt hold Latin-1, iTXt UTF-8. */
  readonly encoding: "latin1" | "utf-8";
}

/**
 * Splits a `tEXt`, `zTXt` or `iTXt` payload (or ComfyUI's private `comf` chunk, laid out as tEXt) into
 * keyword and text. Undefined for other chunk types and for payloads without a keyword.
 */
export function readPngTextChunk(type: string, data: Uint8Array): PngTextChunk | undefined {
  const nul = data.indexOf(0);
  if (nul <= 0) return undefined;
  const keyword = latin1(data.subarray(0, nul));
  switch (type) {
    case "tEXt":
    case "comf":
      return { keyword, text: data.subarray(nul + 1), compressed: false, encoding: "latin1" };
    case "zTXt":
      // Keyword, NUL, compression method (0: zlib), compressed text.
      return { keyword, text: data.subarray(nul + 2), compressed: true, encoding: "latin1" };
    case "iTXt": {
      // Keyword, NUL, compression flag, method, language tag, NUL, translated keyword, NUL, text.
      const languageEnd = data.indexOf(0, nul + 3);
      const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
      if (translatedEnd < 0) return undefined;
      return {
        keyword,
        text: data.subarray(translatedEnd + 1),
        compressed: data[nul + 1] === 1,
        encoding: "utf-8",
      };
    }
    default:
      return undefined;
  }
}

/** Decodes text bytes (already inflated when the chunk was compressed). */
export function decodePngText(bytes: Uint8Array, encoding: "latin1" | "utf-8"): string {
  return encoding === "utf-8" ? new TextDecoder("utf-8").decode(bytes) : latin1(bytes);
}

/** The payload of a `tEXt` chunk: Latin-1 keyword, NUL, Latin-1 text (as PIL's `PngInfo.add_text`). */
export function pngTextPayload(keyword: string, text: string): Uint8Array {
  const out = new Uint8Array(keyword.length + 1 + text.length);
  for (let i = 0; i < keyword.length; i++) out[i] = keyword.charCodeAt(i) & 0xff;
  for (let i = 0; i < text.length; i++) out[keyword.length + 1 + i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** ISO 8859-1, byte = code point (TextDecoder's "latin1" is windows-1252, which remaps 0x80–0x9F). */
function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}
