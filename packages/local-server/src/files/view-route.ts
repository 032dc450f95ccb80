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
  router.get("/view", async ({ res, url }) => {
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
    sendBytes(res, bytes, contentTypeOf(ref.filename), disposition);
  });
}
