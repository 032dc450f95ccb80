// An in-process proxy between a client and a server that breaks the connection on purpose: drops,
// holds, delays, truncates, garbles or resets chosen requests (HTTP and WebSocket upgrades), cuts
// everything for a while, and counts the `POST /prompt` bodies it delivered per prompt id.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";

/** What the proxy does to a request it matched. */
export type Fault =
  /** Close the client's connection at once, sending nothing on. */
  | { readonly kind: "drop" }
  /** Reset the client's connection (RST) at once. */
  | { readonly kind: "reset" }
  /** Take the request, never answer and never deliver it (a black hole). */
  | { readonly kind: "blackhole" }
  /** Deliver the request only after `ms` (even if the client has given up meanwhile). */
  | { readonly kind: "hold"; readonly ms: number }
  /** Deliver the request, then the answer only after `ms`. */
  | { readonly kind: "delay"; readonly ms: number }
  /** Deliver the request; send the answer's head and `bytes` of its body, then close. */
  | { readonly kind: "truncate"; readonly bytes: number }
  /** Deliver the request; answer 200 with a body of random bytes instead of the server's. */
  | { readonly kind: "garbage" }
  /** Deliver the request; reset the client's connection instead of answering. */
  | { readonly kind: "reset-after-delivery" };

export interface FaultRule {
  /** `"POST /prompt"`, `"GET /history"`, `"WS"` (upgrades), … — matched against the start of `METHOD /path`. */
  readonly match: string;
  readonly fault: Fault;
  /** How many matching requests it applies to (default: all). */
  readonly times?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Rules, first match wins; each counts down its `times`. */
  rules: FaultRule[];
  /** Refuse every connection (HTTP and WebSocket) for `ms`, and cut the open ones now. */
  cutAll(ms: number): void;
  /** Points the proxy at another server (after a restart). */
  retarget(url: string): void;
  /** `POST /prompt` bodies delivered to the server, per `prompt_id`. */
  readonly deliveredPosts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let upstream = new URL(target);
  let cutUntil = 0;
  const sockets = new Set<Socket | Duplex>();
  const delivered = new Map<string, number>();
  const state = { rules: [] as FaultRule[] };

  const take = (what: string): Fault | undefined => {
    for (const [i, rule] of state.rules.entries()) {
      if (!what.startsWith(rule.match)) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        state.rules[i] = { ...rule, times: rule.times - 1 };
      }
      return rule.fault;
    }
    return undefined;
  };

  const countPost = (req: IncomingMessage, body: Buffer) => {
    if (req.method !== "POST" || !/^\/(api\/)?prompt$/.test(req.url?.split("?")[0] ?? "")) return;
    let id = "(no prompt_id)";
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { prompt_id?: unknown };
      if (typeof parsed.prompt_id === "string") id = parsed.prompt_id;
    } catch {
      id = "(not JSON)";
    }
    delivered.set(id, (delivered.get(id) ?? 0) + 1);
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse | undefined,
    fault: Fault | undefined,
  ) => {
    countPost(req, body);
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (c: Buffer) => chunks.push(c));
        answer.on("error", () => res?.destroy());
        answer.on("end", () => {
          if (!res || res.destroyed || res.socket?.destroyed) return;
          const payload = Buffer.concat(chunks);
          const send = () => {
            if (res.destroyed) return;
            if (fault?.kind === "garbage") {
              const junk = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256));
              res.writeHead(200, { "Content-Type": "application/json", "Content-Length": junk.length });
              res.end(junk);
              return;
            }
            if (fault?.kind === "reset-after-delivery") {
              (res.socket as Socket | null)?.resetAndDestroy();
              return;
            }
            const headers = { ...answer.headers };
            if (fault?.kind === "truncate") {
              res.writeHead(answer.statusCode ?? 502, {
                ...headers,
                "content-length": String(payload.length),
              });
              res.write(payload.subarray(0, Math.min(fault.bytes, Math.max(0, payload.length - 1))));
              res.socket?.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 502, headers);
            res.end(payload);
          };
          if (fault?.kind === "delay") setTimeout(send, fault.ms);
          else send();
        });
      },
    );
    out.on("error", () => {
      if (res && !res.headersSent) res.socket?.destroy();
    });
    out.end(body);
  };

  const server: Server = createServer((req, res) => {
    sockets.add(req.socket);
    req.socket.on("close", () => sockets.delete(req.socket));
    if (Date.now() < cutUntil) {
      req.socket.destroy();
      return;
    }
    const what = `${req.method} ${req.url?.split("?")[0]}`;
    const fault = take(what);
    if (fault?.kind === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "reset") {
      req.socket.resetAndDestroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => {});
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      if (fault?.kind === "blackhole") return;
      if (fault?.kind === "hold") {
        // The network delivers the request later whatever the client does meanwhile.
        setTimeout(() => forward(req, body, res.destroyed ? undefined : res, undefined), fault.ms);
        return;
      }
      forward(req, body, res, fault);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("upgrade", (req: IncomingMessage, client: Duplex, head: Buffer) => {
    client.on("error", () => {});
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    const fault = take("WS");
    if (Date.now() < cutUntil || fault?.kind === "drop" || fault?.kind === "blackhole") {
      if (fault?.kind !== "blackhole") client.destroy();
      return;
    }
    if (fault?.kind === "reset") {
      (client as Socket).resetAndDestroy();
      return;
    }
    const up = connect(Number(upstream.port), upstream.hostname);
    sockets.add(up);
    up.on("error", () => client.destroy());
    up.on("close", () => {
      sockets.delete(up);
      client.destroy();
    });
    client.on("close", () => up.destroy());
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string;
      lines.push(`${name}: ${name.toLowerCase() === "host" ? upstream.host : req.rawHeaders[i + 1]}`);
    }
    up.write(`${lines.join("\r\n")}\r\n\r\n`);
    if (head.length) up.write(head);
    const start = () => {
      client.pipe(up);
      up.pipe(client);
    };
    if (fault?.kind === "delay" || fault?.kind === "hold") setTimeout(start, fault.ms);
    else start();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    get rules() {
      return state.rules;
    },
    set rules(next: FaultRule[]) {
      state.rules = [...next];
    },
    cutAll(ms) {
      cutUntil = Date.now() + ms;
      for (const s of sockets) s.destroy();
    },
    retarget(url) {
      upstream = new URL(url);
    },
    deliveredPosts: delivered,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
