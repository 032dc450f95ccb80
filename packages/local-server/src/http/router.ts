import type { IncomingMessage, ServerResponse } from "node:http";
import { originAllowed } from "./origin-guard.js";
import { BadRequestBodyError, BodyTooLargeError } from "./request-body.js";
import { requestUrl } from "./request-url.js";
import { sendEmpty, sendMethodNotAllowed, sendNotFound, sendServerError } from "./respond.js";

export type HttpMethod = "GET" | "POST";

/** What a route handler receives: the request, its parsed URL and the path parameters. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

export type RouteHandler = (ctx: RouteContext) => void | Promise<void>;

interface Route {
  readonly method: HttpMethod;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

/**
 * ComfyUI's route table: every route answers at `/X` and at `/api/X`. A GET or HEAD without a route
 * (including a known path, e.g. `GET /interrupt`) is aiohttp's `404: Not Found`; another method
 * without a route is `405: Method Not Allowed`.
 */
export class Router {
  readonly #routes: Route[] = [];

  /** Registers `path` (segments like `{name}` capture one path segment) and its `/api` twin. */
  add(method: HttpMethod, path: string, handler: RouteHandler): this {
    const segments = path.split("/").filter((s) => s !== "");
    this.#routes.push({ method, segments, handler });
    this.#routes.push({ method, segments: ["api", ...segments], handler });
    return this;
  }

  get(path: string, handler: RouteHandler): this {
    return this.add("GET", path, handler);
  }

  post(path: string, handler: RouteHandler): this {
    return this.add("POST", path, handler);
  }

  /** Finds the route for a request; undefined when none matches. */
  match(
    method: string,
    pathname: string,
  ): { handler: RouteHandler; params: Record<string, string> } | undefined {
    const parts = pathname.split("/").filter((s) => s !== "");
    for (const route of this.#routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i] as string;
        const part = parts[i] as string;
        if (seg.startsWith("{") && seg.endsWith("}")) {
          params[seg.slice(1, -1)] = safeDecode(part);
        } else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) return { handler: route.handler, params };
    }
    return undefined;
  }

  /** The methods a path answers (aiohttp adds HEAD to GET routes), with the web root's GET and HEAD. */
  #allowedMethods(pathname: string): string[] {
    const allowed = new Set(["GET", "HEAD"]);
    for (const method of ["GET", "POST"] as const) if (this.match(method, pathname)) allowed.add(method);
    return [...allowed].sort();
  }

  /** Dispatches one request; errors become the status codes aiohttp would answer with. */
  async handle(req: IncomingMessage, res: ServerResponse, onError?: (error: unknown) => void): Promise<void> {
    const url = requestUrl(req.url);
    const method = req.method ?? "GET";
    if (!originAllowed({ host: req.headers.host, origin: req.headers.origin })) {
      sendEmpty(res, 403);
      return;
    }
    if (method === "OPTIONS") {
      sendEmpty(res, 200);
      return;
    }
    const found = this.match(method === "HEAD" ? "GET" : method, url.pathname);
    if (!found) {
      // ComfyUI serves its web root at `/`: every path exists for GET and HEAD (a missing file is a
      // 404), so another method without a route is aiohttp's 405, naming the methods the path has.
      if (method === "GET" || method === "HEAD") sendNotFound(res);
      else sendMethodNotAllowed(res, this.#allowedMethods(url.pathname));
      return;
    }
    try {
      await found.handler({ req, res, url, params: found.params });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendEmpty(res, 413);
        return;
      }
      if (!(error instanceof BadRequestBodyError)) onError?.(error);
      sendServerError(res);
    }
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
