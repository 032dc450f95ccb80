import WebSocket from "ws";

/** One received frame. */
export type Frame =
  | { kind: "text"; type: string; data: Record<string, unknown> }
  | { kind: "binary"; bytes: Buffer };

/** A WebSocket client that records every frame and can wait for one. */
export class WsRecorder {
  readonly frames: Frame[] = [];
  readonly #waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data, isBinary) => {
      const frame: Frame = isBinary
        ? { kind: "binary", bytes: Buffer.from(data as Buffer) }
        : (() => {
            const msg = JSON.parse(String(data)) as { type: string; data: Record<string, unknown> };
            return { kind: "text" as const, type: msg.type, data: msg.data };
          })();
      this.frames.push(frame);
      for (const w of [...this.#waiters]) {
        if (w.pred(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
  }

  /** Connects to `${baseUrl}/ws` (optionally with a clientId) and waits for the first `status`. */
  static async connect(baseUrl: string, clientId?: string, path = "/ws"): Promise<WsRecorder> {
    const url = `${baseUrl.replace(/^http/, "ws")}${path}${clientId ? `?clientId=${encodeURIComponent(clientId)}` : ""}`;
    const socket = new WebSocket(url);
    const recorder = new WsRecorder(socket);
    await recorder.waitFor((f) => f.kind === "text" && f.type === "status");
    return recorder;
  }

  /** Resolves with the first frame (already received or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for a frame; got ${this.describe()}`)),
        timeoutMs,
      );
      this.#waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Waits for `executing {node: null, prompt_id}` — the end of a job. */
  waitForDone(promptId: string, timeoutMs = 5000): Promise<Frame> {
    return this.waitFor(
      (f) =>
        f.kind === "text" && f.type === "executing" && f.data.node === null && f.data.prompt_id === promptId,
      timeoutMs,
    );
  }

  /** Text frames concerning one prompt (plus status frames in between), from its first message to its end. */
  textFrames(): { type: string; data: Record<string, unknown> }[] {
    return this.frames.filter((f): f is Extract<Frame, { kind: "text" }> => f.kind === "text");
  }

  types(): string[] {
    return this.frames.map((f) => (f.kind === "text" ? f.type : "binary"));
  }

  describe(): string {
    return JSON.stringify(this.types());
  }

  clear(): void {
    this.frames.length = 0;
  }

  close(): void {
    this.socket.close();
  }
}
