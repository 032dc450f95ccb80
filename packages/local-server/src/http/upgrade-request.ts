import { type IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * Answers an HTTP upgrade request for a path that is not a WebSocket route as the ordinary request
 * it also is (aiohttp routes it like any other: `404: Not Found`, or the route's answer), then closes
 * the connection. Node hands such requests over with their body unread: the bytes that came with
 * the headers (`head`) are put back so the route can read them.
 */
export function answerAsPlainRequest(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  if (head.length > 0) req.unshift(head);
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket as Socket);
  res.on("finish", () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  handle(req, res);
}
