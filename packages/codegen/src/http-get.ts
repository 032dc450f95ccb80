import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { ComfyError } from "@comfy-ts/core/errors";

export interface HttpAnswer {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

/** Why a request got no answer: a timeout, or the connection error. */
export class NoAnswerError extends ComfyError {
  declare readonly code: "no_answer";
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean, options?: { cause?: unknown }) {
    super("no_answer", message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.timedOut = timedOut;
  }
}

/**
 * A GET with a timeout over the whole exchange, through `node:http(s)`. (Node's global `fetch` loads
 * its bundled undici on first use: ~60 ms of CPU on every codegen run for one request.)
 */
export function httpGet(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === "https:" ? httpsRequest : httpRequest)(target, {
      method: "GET",
      // No keep-alive agent: an idle pooled socket would hold the process open after the run.
      agent: false,
      headers: { accept: "application/json", ...headers },
    });
    const timer = setTimeout(() => {
      request.destroy(new NoAnswerError(`no answer within ${seconds(timeoutMs)}`, true));
    }, timeoutMs);
    const onAbort = () => request.destroy(new NoAnswerError("interrupted", false));
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    request.on("error", (error) => {
      done();
      reject(
        error instanceof NoAnswerError ? error : new NoAnswerError(error.message, false, { cause: error }),
      );
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => {
        done();
        reject(new NoAnswerError(error.message, false, { cause: error }));
      });
      response.on("end", () => {
        done();
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? "",
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    request.end();
  });
}

/** `1500` → "1.5 s" (bounds are given in seconds on the command line). */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
