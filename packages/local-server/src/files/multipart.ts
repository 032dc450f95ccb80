import type { IncomingMessage } from "node:http";
import { readBody } from "../http/request-body.js";

/** One uploaded file part. */
export interface UploadedFile {
  readonly filename: string;
  readonly bytes: Buffer;
}

/** The fields of a multipart form: text values and file parts. */
export interface ParsedForm {
  text(name: string): string | undefined;
  file(name: string): UploadedFile | undefined;
}

/**
 * Parses a `multipart/form-data` (or urlencoded) body with the WHATWG `Request.formData()` that
 * Node ships. A body that is not a form gives an empty form (the routes answer 400 for a missing file).
 */
export async function readForm(req: IncomingMessage): Promise<ParsedForm> {
  const body = await readBody(req);
  const headers = new Headers();
  const contentType = req.headers["content-type"];
  if (contentType) headers.set("content-type", contentType);
  let form: FormData | undefined;
  try {
    form = await new Request("http://localhost/", { method: "POST", headers, body }).formData();
  } catch {
    form = undefined;
  }
  const files = new Map<string, UploadedFile>();
  const texts = new Map<string, string>();
  if (form) {
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") {
        if (!texts.has(name)) texts.set(name, value);
      } else if (!files.has(name)) {
        files.set(name, { filename: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
  }
  return { text: (name) => texts.get(name), file: (name) => files.get(name) };
}
