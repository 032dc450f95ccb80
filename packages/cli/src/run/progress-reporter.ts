import type { RunProgressEvent } from "@comfy-ts/core/client";
import type { Colors } from "../colors.js";

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** How `comfy-ts run` shows a job: a redrawn bar on a TTY, plain lines otherwise, or JSON lines. */
export type ReportMode = "tty" | "plain" | "json";

/** Turns progress events into what the user sees. */
export class ProgressReporter {
  readonly #mode: ReportMode;
  readonly #out: Stream;
  readonly #err: Stream;
  readonly #colors: Colors;
  #total = 0;
  #done = new Set<string>();
  #node: { id: string; classType: string | undefined } | undefined;
  #step: { value: number; max: number } | undefined;
  #lastPlainQuarter = new Map<string, number>();
  #barShown = false;
  #connectionNoticed = false;

  constructor(mode: ReportMode, out: Stream, err: Stream, colors: Colors) {
    this.#mode = mode;
    this.#out = out;
    this.#err = err;
    this.#colors = colors;
  }

  /** A JSON line on stdout (json mode only). */
  json(event: string, fields: Record<string, unknown>): void {
    if (this.#mode === "json") this.#out.write(`${JSON.stringify({ event, ...fields }, bigintSafe)}\n`);
  }

  /** A human line on stdout (not in json mode); clears the bar first. */
  line(text: string): void {
    if (this.#mode === "json") return;
    this.clear();
    this.#out.write(`${text}\n`);
  }

  /** A human line on stderr (not in json mode). */
  note(text: string): void {
    if (this.#mode === "json") return;
    this.clear();
    this.#err.write(`${text}\n`);
  }

  onProgress = (event: RunProgressEvent): void => {
    if (this.#mode === "json") {
      if (event.type === "preview") {
        const { image, type: _type, ...rest } = event;
        this.json("preview", { ...rest, bytes: image.byteLength });
      } else {
        const { type, ...rest } = event;
        this.json(type, rest);
      }
      return;
    }
    switch (event.type) {
      case "submitted":
        this.#total = event.nodeCount;
        if (this.#mode === "plain") this.note(`queued prompt ${event.promptId} (${event.nodeCount} nodes)`);
        break;
      case "started":
        if (this.#mode === "plain") this.note("started");
        break;
      case "cached":
        for (const id of event.nodes) this.#done.add(id);
        if (this.#mode === "plain" && event.nodes.length) this.note(`cached: ${event.nodes.join(", ")}`);
        break;
      case "node":
        if (this.#node) this.#done.add(this.#node.id);
        this.#node = { id: event.nodeId, classType: event.classType };
        this.#step = undefined;
        if (this.#mode === "plain")
          this.note(`node ${event.nodeId}${event.classType ? ` (${event.classType})` : ""}`);
        break;
      case "step": {
        this.#step = { value: event.value, max: event.max };
        if (this.#mode === "plain") {
          // Plain logs get a line per quarter, not per step.
          const key = event.nodeId ?? "";
          const quarter = event.max > 0 ? Math.floor((event.value / event.max) * 4) : 4;
          if (quarter !== this.#lastPlainQuarter.get(key)) {
            this.#lastPlainQuarter.set(key, quarter);
            this.note(`  step ${event.value}/${event.max}`);
          }
        }
        break;
      }
      case "executed":
        this.#done.add(event.nodeId);
        break;
      case "text":
        if (this.#mode === "plain") this.note(`  ${event.nodeId}: ${event.text}`);
        break;
      case "connection":
        this.#connectionNotice(event);
        break;
      case "done":
        if (this.#node) this.#done.add(this.#node.id);
        this.#node = undefined;
        this.#step = undefined;
        break;
      default:
        break;
    }
    if (this.#mode === "tty") this.#draw();
  };

  /**
   * One line for the whole run when the socket is lost (not one per reconnect attempt): the job goes
   * on by polling /history, and the result is the same.
   */
  #connectionNotice(event: Extract<RunProgressEvent, { type: "connection" }>): void {
    if (this.#connectionNoticed || event.state === "open" || event.state === "closed") return;
    this.#connectionNoticed = true;
    const text =
      event.state === "polling"
        ? `${event.reason ?? "WebSocket unavailable"}: following the job by polling /history`
        : `connection lost mid-job: ${event.reason ?? "the WebSocket closed"}; following the job by polling /history while it reconnects`;
    this.note(this.#colors.dim(text));
  }

  #draw(): void {
    const width = 20;
    const done = Math.min(this.#done.size, this.#total || this.#done.size);
    const total = Math.max(this.#total, done, 1);
    const filled = Math.round((done / total) * width);
    const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} nodes`;
    const node = this.#node
      ? ` | ${this.#node.id}${this.#node.classType ? ` ${this.#node.classType}` : ""}`
      : "";
    const step = this.#step ? ` | step ${this.#step.value}/${this.#step.max}` : "";
    const text = `${bar}${node}${step}`;
    const columns = this.#err.columns ?? 80;
    this.#err.write(`\r\u001b[2K${text.slice(0, Math.max(10, columns - 1))}`);
    this.#barShown = true;
  }

  /** Removes the bar (before printing lines, and at the end). */
  clear(): void {
    if (this.#barShown) {
      this.#err.write("\r\u001b[2K");
      this.#barShown = false;
    }
  }
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}
