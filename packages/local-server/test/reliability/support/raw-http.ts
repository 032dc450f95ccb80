import { connect } from "node:net";

/** What came back on one raw connection. */
export interface RawAnswer {
  /** The status of the first answer, or undefined when the server closed without one. */
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Everything received, as latin1 text (for messages). */
  readonly raw: string;
}

export interface RawSendOptions {
  /** Bytes to send in pieces with pauses (a slow or stuttering client). */
  readonly chunks?: readonly Uint8Array[];
  /** Reset the connection (RST) this many ms after sending, instead of waiting for an answer. */
  readonly resetAfterMs?: number;
  /** Give up waiting after this long (default 10 s); the answer so far is returned. */
  readonly timeoutMs?: number;
}

/**
 * Sends `request` (bytes as they are: malformed HTTP included) on a fresh TCP connection and reads
 * the first answer: until its Content-Length or last chunk is in, or the server closes.
 */
export function sendRaw(
  url: string,
  request: Uint8Array | string,
  options: RawSendOptions = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(received)));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 10_000);
    socket.on("error", finish);
    socket.on("close", finish);
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      if (answerComplete(Buffer.concat(received))) finish();
    });
    socket.once("connect", async () => {
      const pieces = options.chunks ?? [
        typeof request === "string" ? Buffer.from(request, "latin1") : request,
      ];
      for (const [i, piece] of pieces.entries()) {
        if (done) return;
        socket.write(piece);
        if (i < pieces.length - 1) await new Promise((r) => setTimeout(r, 5));
      }
      if (options.resetAfterMs !== undefined) {
        setTimeout(() => {
          if (!done) {
            socket.resetAndDestroy();
            finish();
          }
        }, options.resetAfterMs);
      }
    });
  });
}

function headerEnd(data: Buffer): number {
  return data.indexOf("\r\n\r\n");
}

function parseHead(text: string): { status: number | undefined; headers: Record<string, string> } {
  const lines = text.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: status === undefined ? undefined : Number(status), headers };
}

function answerComplete(data: Buffer): boolean {
  const end = headerEnd(data);
  if (end < 0) return false;
  const { status, headers } = parseHead(data.subarray(0, end).toString("latin1"));
  if (status === 101) return true;
  const body = data.subarray(end + 4);
  if (headers["content-length"] !== undefined) return body.length >= Number(headers["content-length"]);
  if (/chunked/i.test(headers["transfer-encoding"] ?? ""))
    return body.includes("\r\n0\r\n\r\n") || body.subarray(0, 5).toString() === "0\r\n\r\n";
  return false;
}

function parseAnswer(data: Buffer): RawAnswer {
  const raw = data.toString("latin1");
  const end = headerEnd(data);
  if (end < 0) return { status: undefined, headers: {}, body: Buffer.alloc(0), raw };
  const { status, headers } = parseHead(data.subarray(0, end).toString("latin1"));
  let body = data.subarray(end + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
  else if (headers["content-length"] !== undefined)
    body = body.subarray(0, Number(headers["content-length"]));
  return { status, headers, body, raw };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf("\r\n", at);
    if (eol < 0) break;
    const size = Number.parseInt(data.subarray(at, eol).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Builds an HTTP/1.1 request; `Content-Length` is added for a body unless a header says otherwise. */
export function httpRequest(
  method: string,
  target: string,
  host: string,
  headers: Readonly<Record<string, string>> = {},
  body?: Uint8Array | string,
): Buffer {
  const bytes =
    body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}`];
  const names = Object.keys(headers).map((h) => h.toLowerCase());
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (bytes && !names.includes("content-length") && !names.includes("transfer-encoding"))
    lines.push(`Content-Length: ${bytes.length}`);
  if (!names.includes("connection")) lines.push("Connection: close");
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  return bytes ? Buffer.concat([head, bytes]) : head;
}
