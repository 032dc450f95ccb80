import { expect, test, vi } from "vitest";
import { decodeImage, MediaLibraryMissingError } from "../src/index.js";

// sharp as it fails on a platform without its prebuilt binary.
vi.mock("sharp", () => {
  throw new Error('Could not load the "sharp" module using the linux-x64 runtime');
});

const JPEG_START = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16);

test("a JPEG without sharp says what to install; PNG still decodes (sharp is loaded lazily)", async () => {
  const error = await decodeImage(JPEG_START, { name: "photo.jpg" }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MediaLibraryMissingError);
  expect((error as MediaLibraryMissingError).code).toBe("media_library_missing");
  expect((error as Error).message).toMatch(
    /Decoding JPEG \(photo\.jpg\) needs the npm package "sharp", which did not load \(.+\)\. Install it .*npm install sharp/,
  );
  const gif = Buffer.from(
    "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "latin1",
  );
  await expect(decodeImage(gif)).resolves.toMatchObject({ format: "gif", width: 1, height: 1 });
});
