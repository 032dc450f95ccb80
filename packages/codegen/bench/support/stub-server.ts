import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

/**
 * A tiny ComfyUI stand-in for benchmarks: serves a saved `/object_info` (and `/api/…` twins), a
 * `/system_stats`, and accepts WebSocket connections on `/ws` (sending the initial `status` message),
 * which is all a codegen client needs.
 */
export async function startStubServer(objectInfo: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Duplex>();
  const defs = JSON.parse(objectInfo) as Record<string, unknown>;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.replace(/^\/api(?=\/)/, "");
    const json = (body: string) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    };
    if (path === "/object_info") json(objectInfo);
    else if (path.startsWith("/object_info/")) {
      const name = decodeURIComponent(path.slice("/object_info/".length));
      json(JSON.stringify(name in defs ? { [name]: defs[name] } : {}));
    } else if (path === "/system_stats")
      json(JSON.stringify({ system: { comfyui_version: "0.3.65", os: "posix" }, devices: [] }));
    else if (path === "/queue") json('{"queue_running":[],"queue_pending":[]}');
    else if (path === "/prompt") json('{"exec_info":{"queue_remaining":0}}');
    else if (path === "/features") json("{}");
    else if (path === "/embeddings" || path === "/extensions") json("[]");
    else if (path === "/users") json('{"storage":"server","migrated":true}');
    else {
      res.writeHead(404);
      res.end();
    }
  });
  server.on("upgrade", (req, socket) => {
    const key = req.headers["sec-websocket-key"];
    if (typeof key !== "string") {
      socket.destroy();
      return;
    }
    const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.write(
      textFrame(
        JSON.stringify({
          type: "status",
          data: { status: { exec_info: { queue_remaining: 0 } }, sid: "bench" },
        }),
      ),
    );
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => sockets.delete(socket));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const length = payload.length;
  const head =
    length < 126
      ? Buffer.from([0x81, length])
      : length < 65536
        ? Buffer.from([0x81, 126, length >> 8, length & 255])
        : Buffer.concat([Buffer.from([0x81, 127]), bigLength(length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(length));
  return b;
}
