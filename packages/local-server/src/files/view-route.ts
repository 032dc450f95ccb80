import { readFile, stat } from "node:fs/promises";
import { sendBytes, sendEmpty } from "../http/respond.js";
import type { Router } from "../http/router.js";
import type { ServerState } from "../server/server-state.js";
import { contentTypeOf } from "./content-type.js";
import { resolveFileRef } from "./safe-path.js";

/** Re-encodes a file for `preview=` / `channel=` (needs an image codec). */
export type ViewTransform = (
  bytes: Uint8Array,
  request: { preview: string | undefined; channel: string | undefined },
) => Promise<{ bytes: Uint8Array; contentType: string } | undefined>;

/** `GET /view?filename=&type=&subfolder=&preview=&channel=`. */
export function registerViewRoute(router: Router, state: ServerState, transform?: ViewTransform): void {
  router.get("/view", async ({ req, res, url }) => {
    const q = url.searchParams;
    const rawFilename = q.get("filename");
    if (rawFilename === null) {
      sendEmpty(res, 404);
      return;
    }
    const ref = resolveFileRef(
      state.dirs,
      rawFilename,
      q.get("type") ?? "output",
      q.get("subfolder") ?? undefined,
    );
    if (!ref.ok) {
      sendEmpty(res, ref.status);
      return;
    }
    const info = await stat(ref.path).catch(() => undefined);
    if (!info?.isFile()) {
      sendEmpty(res, 404);
      return;
    }
    const bytes = await readFile(ref.path);
    const disposition = { "Content-Disposition": `filename="${ref.filename}"` };
    const preview = q.get("preview") ?? undefined;
    const channel = q.get("channel") ?? undefined;
    if (transform && (preview !== undefined || channel === "rgb" || channel === "a")) {
      const out = await transform(bytes, { preview, channel });
      if (out) {
        sendBytes(res, out.bytes, out.contentType, disposition);
        return;
      }
    }
    const range = parseRange(req.headers.range, bytes.length);
    if (range === "unsatisfiable") {
      res.writeHead(416, { "Content-Range": `bytes */${bytes.length}`, "Content-Length": 0 });
      res.end();
      return;
    }
    const headers = { ...disposition, "Accept-Ranges": "bytes" };
    if (range) {
      const part = bytes.subarray(range.start, range.end + 1);
      res.writeHead(206, {
        ...headers,
        "Content-Type": contentTypeOf(ref.filename),
        "Content-Length": part.length,
        "Content-Range": `bytes ${range.start}-${range.end}/${bytes.length}`,
      });
      res.end(part);
      return;
    }
    sendBytes(res, bytes, contentTypeOf(ref.filename), headers);
  });
}

/** A single `bytes=start-end` range (aiohttp's FileResponse serves these with 206). */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}
