import { openInput } from "./input.js";
import { loadNodeAv } from "./native.js";
import { type MediaInfo, mediaInfo } from "./stream-info.js";

/**
 * What a video or audio file holds, from its headers (nothing is decoded): container, duration, tags,
 * and each stream's codec, size, pixel format, frame rate, sample rate, channels. Corrupt bytes give a
 * `CorruptMediaError`; a missing node-av a `MediaLibraryMissingError`.
 */
export async function probeMedia(bytes: Uint8Array, options: { name?: string } = {}): Promise<MediaInfo> {
  const av = await loadNodeAv();
  const input = await openInput(av, bytes, options.name);
  try {
    return mediaInfo(av, input.fmt);
  } finally {
    input.close();
  }
}
