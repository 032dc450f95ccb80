import { randomUUID } from "node:crypto";
import type { ApiPrompt } from "../compile/api-prompt.js";
import { type CompileTarget, compile } from "../compile/compile.js";
import { nodeOrigin } from "../compile/prompt-origins.js";
import type { Timeouts } from "./client-options.js";
import type { ComfyClient, DroppedOutputs, SubmitResult } from "./comfy-client.js";
import { type Deadline, msLeft, startDeadline } from "./deadline.js";
import {
  type ComfyClientError,
  ComfyExecutionError,
  ComfyInputError,
  ComfyInterruptedError,
  ComfyOutcomeUnknownError,
  ComfyPromptLostError,
  ComfyResponseError,
  ComfyTimeoutError,
  type ComfyValidationError,
} from "./errors.js";
import { mergeTimeouts } from "./http-transport.js";
import { JobTracker, type RunProgressEvent } from "./job-tracker.js";
import { sleep } from "./retry.js";
import {
  collectOutputs,
  deriveNodeStatus,
  listOutputs,
  messageData,
  type OutputFile,
  type OutputText,
  prefetchFiles,
  statusFromSocket,
} from "./run-result.js";
import type { HistoryEntry } from "./schemas.js";

/** A compiled API prompt, or anything `compile()` accepts (a workflow, a graph, output nodes). */
export type RunInput = ApiPrompt | CompileTarget;

/**
 * How to make ComfyUI execute a prompt it would otherwise serve from its cache:
 * - `"free-memory"` (also `true`): `POST /free {"free_memory": true}` before submitting. Works on every
 *   server version. Cost: drops the server's whole node-output cache *and unloads models* — the next
 *   job reloads checkpoints (seconds to a minute on GPU servers) and other users lose their cache.
 * - `"nonce"`: adds an input `comfy_ts_nonce: <uuid>` to every node. ComfyUI ignores unknown inputs
 *   when running a node but includes them in the cache key, so every node re-runs while models stay
 *   loaded and other prompts' cache entries survive. Cost: the whole graph re-runs; the nonce is
 *   visible in the prompt embedded in saved PNGs; V3 nodes that accept all inputs receive it.
 */
export type ForceExecution = boolean | "free-memory" | "nonce";

export interface RunOptions {
  /** Aborting interrupts the job on the server (dequeue if pending, interrupt if running). */
  readonly signal?: AbortSignal;
  /** Called for each step of the job (node started, sampler step, preview, cached nodes, …). */
  readonly onProgress?: (event: RunProgressEvent) => void;
  /** Re-execute even if ComfyUI has the results cached. See {@link ForceExecution}. */
  readonly forceExecution?: ForceExecution;
  /** Client-chosen prompt id (lowercase UUID). Generated when omitted. */
  readonly promptId?: string;
  readonly extraData?: Readonly<Record<string, unknown>>;
  readonly partialExecutionTargets?: readonly string[];
  readonly front?: boolean;
  /**
   * Outputs that fail the server's validation while others pass: `"fail"` (default) cancels the job
   * and throws `ComfyValidationError`; `"report"` runs the valid outputs and returns the failed ones
   * in `RunResult.dropped`.
   */
  readonly droppedOutputs?: DroppedOutputs;
  /** Download output files (default true), or only those the predicate selects. */
  readonly download?: boolean | ((file: Omit<OutputFile, "bytes">) => boolean);
  /**
   * Per-run bounds, over the client's. When the queue or execution bound runs out, the job is also
   * removed from the queue / interrupted on the server (it would otherwise run unobserved).
   */
  readonly timeouts?: Partial<Timeouts>;
  /** Follow the job over the WebSocket (default true). `false`: poll `/history` only. */
  readonly websocket?: boolean;
  /**
   * `"when-needed"` (default): an ordinary successful job seen whole on the socket is described from
   * its events (`executed` outputs, cached nodes, timestamps) — the same data ComfyUI writes to
   * `/history` — saving one request. `"always"`: read `/history/{id}` anyway and return it.
   */
  readonly history?: "when-needed" | "always";
}

export interface RunTiming {
  /** Client clock (ms since epoch) when the prompt was sent. */
  readonly submittedAt: number;
  /** Server timestamps (ms since epoch) from the history messages, when the server sends them. */
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** `finishedAt − startedAt` (server clock). */
  readonly executionMs: number | undefined;
  /** Client wall time from submit to result (downloads included). */
  readonly totalMs: number;
}

export type NodeRunStatus = "executed" | "cached";

/** Everything a finished job produced. */
export interface RunResult {
  readonly promptId: string;
  readonly number: number | undefined;
  /** The prompt as submitted. */
  readonly prompt: ApiPrompt;
  /** Every output file (images, audio, video, …) with its bytes. */
  readonly files: readonly OutputFile[];
  /** The files listed under `images`. */
  readonly images: readonly OutputFile[];
  /** Text outputs (`{"text": [...]}`, e.g. PreviewAny). */
  readonly texts: readonly OutputText[];
  /** Raw UI dicts per output node, as in `/history`. */
  readonly outputs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per node of the prompt that took part: ran, or came from ComfyUI's cache. */
  readonly nodes: Readonly<Record<string, NodeRunStatus>>;
  readonly executedNodes: readonly string[];
  readonly cachedNodes: readonly string[];
  /** True when nothing ran (every node came from cache; outputs are the cached ones). */
  readonly allCached: boolean;
  readonly timing: RunTiming;
  /** Which path saw the end of the job. The result is the same either way. */
  readonly completedVia: "websocket" | "polling";
  /**
   * With `droppedOutputs: "report"`: the outputs the server dropped because they failed validation
   * (what `"fail"` would have thrown); the result holds what the other outputs produced.
   */
  readonly dropped: ComfyValidationError | undefined;
  /**
   * The `/history` entry, when it was read: always when polling, after socket gaps or errors, or
   * with `history: "always"`. An ordinary job seen whole on the socket skips that request.
   */
  readonly history: HistoryEntry | undefined;
}

/** Turns a run input into an API prompt (compiling graphs). */
export function toPrompt(input: RunInput): ApiPrompt {
  if (isApiPrompt(input)) return input;
  return compile(input as CompileTarget);
}

function isApiPrompt(input: unknown): input is ApiPrompt {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  const values = Object.values(input);
  return (
    values.length > 0 &&
    values.every(
      (v) =>
        typeof v === "object" && v !== null && typeof (v as { class_type?: unknown }).class_type === "string",
    )
  );
}

function withNonce(prompt: ApiPrompt): ApiPrompt {
  const nonce = randomUUID();
  const out: ApiPrompt = {};
  for (const [id, node] of Object.entries(prompt))
    out[id] = { ...node, inputs: { ...node.inputs, comfy_ts_nonce: nonce } };
  return out;
}

/** `ComfyClient.run()`: submit, follow, collect. */
export async function runJob(client: ComfyClient, input: RunInput, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const submittedAt = Date.now();
  const timeouts: Timeouts = mergeTimeouts(client.options.timeouts, options.timeouts, "run: timeouts");
  const compiled = toPrompt(input);
  if (Object.keys(compiled).length === 0) throw new ComfyInputError("run: the prompt has no nodes");
  const prompt = options.forceExecution === "nonce" ? withNonce(compiled) : compiled;
  const logger = client.options.logger;
  const emit = (event: RunProgressEvent) => {
    try {
      options.onProgress?.(event);
    } catch (error) {
      logger.warn?.(`onProgress threw: ${(error as Error).message}`);
    }
  };
  const tracker = new JobTracker(options.promptId ?? randomUUID(), (id) => prompt[id]?.class_type, emit);
  const signal = options.signal;
  signal?.throwIfAborted();

  const useSocket = options.websocket !== false;
  const socket = useSocket ? client.socket() : undefined;
  const unsubscribe: (() => void)[] = [];
  let wakePoller: (() => void) | undefined;
  let socketUnavailable: string | undefined;
  if (socket) {
    unsubscribe.push(socket.on((event) => tracker.handle(event)));
    if (socket.state !== "open" && socket.state !== "reconnecting") {
      try {
        await socket.connect(signal);
      } catch (error) {
        if (signal?.aborted) {
          for (const off of unsubscribe) off();
          throw interrupted(tracker.promptId, signal, undefined);
        }
        // Reported once the prompt is accepted: when the server is down, submitting fails next and
        // that error alone is the news.
        socketUnavailable = (error as Error).message;
        tracker.gap = true;
      }
    }
    // Events from before a reconnect are lost: the socket's account of this job may be partial.
    if (socket.state !== "open") tracker.gap = true;
    // Registered after the first connect: only changes during the job are reported.
    unsubscribe.push(
      socket.onState((state, detail) => {
        if (state !== "open") tracker.gap = true;
        if (state !== "connecting") {
          const reason = detail.error instanceof Error ? detail.error.message : undefined;
          emit({
            type: "connection",
            promptId: tracker.promptId,
            state,
            attempt: detail.attempt,
            ...(reason ? { reason } : {}),
          });
        }
        wakePoller?.();
      }),
    );
  } else {
    tracker.gap = true;
  }

  try {
    if (options.forceExecution === true || options.forceExecution === "free-memory") {
      await client.free({ freeMemory: true, ...(signal ? { signal } : {}) });
    }
    const submitted = await client
      .submit(prompt, {
        promptId: tracker.promptId,
        ...(options.extraData ? { extraData: options.extraData } : {}),
        ...(options.partialExecutionTargets
          ? { partialExecutionTargets: options.partialExecutionTargets }
          : {}),
        ...(options.front ? { front: true } : {}),
        ...(options.droppedOutputs ? { droppedOutputs: options.droppedOutputs } : {}),
        ...(signal ? { signal } : {}),
      })
      .catch((error: unknown): SubmitResult => {
        // The socket may already have shown the job running under our id: then the server has it.
        if (error instanceof ComfyOutcomeUnknownError && tracker.sawBeforeConfirm(tracker.promptId))
          return { promptId: tracker.promptId, number: undefined, recovered: true };
        throw error;
      });
    emit({
      type: "submitted",
      promptId: submitted.promptId,
      number: submitted.number,
      nodeCount: Object.keys(prompt).length,
    });
    tracker.confirm(submitted.promptId);
    if (socketUnavailable !== undefined) {
      logger.debug?.(`WebSocket unavailable (${socketUnavailable}); following the job by polling /history`);
      emit({
        type: "connection",
        promptId: tracker.promptId,
        state: "polling",
        attempt: 0,
        reason: `WebSocket unavailable (${socketUnavailable})`,
      });
    }

    const finish = await waitForEnd(client, tracker, timeouts, socket, signal, (wake) => {
      wakePoller = wake;
    });
    emit({ type: "done", promptId: tracker.promptId, via: finish.via });
    const download = options.download ?? true;
    const seenWhole = !finish.entry && !tracker.gap;
    // The socket saw the whole job: the files are known, so download them while /history is read.
    const prefetched = seenWhole
      ? prefetchFiles(client, listOutputs(tracker.outputs).refs, {
          download,
          promptId: tracker.promptId,
          ...(signal ? { signal } : {}),
        })
      : undefined;
    // And for an ordinary successful job the socket's account is complete: skip the /history read.
    const fromSocket = seenWhole && tracker.succeeded && !tracker.irregular && options.history !== "always";
    const entry = fromSocket
      ? undefined
      : (finish.entry ?? (await historyAfterDone(client, tracker.promptId, timeouts, signal)));
    if (entry?.status && entry.status.status_str !== "success")
      throw failureFrom(entry, compiled, tracker.promptId);

    const uiByNode = entry ? entry.outputs : tracker.outputs;
    const nodeStatus = entry ? deriveNodeStatus(entry, tracker) : statusFromSocket(tracker);
    const collected = await collectOutputs(client, uiByNode, {
      download,
      promptId: tracker.promptId,
      ...(prefetched ? { prefetched } : {}),
      ...(signal ? { signal } : {}),
    });
    const timestamp = (type: string) => {
      if (!entry) return type === "execution_start" ? tracker.startedAt : tracker.finishedAt;
      const value = messageData(entry, type)?.["timestamp"];
      return typeof value === "number" ? value : undefined;
    };
    const startedAt = timestamp("execution_start");
    const finishedAt = timestamp("execution_success");
    return {
      promptId: tracker.promptId,
      number: submitted.number,
      prompt,
      ...collected,
      ...nodeStatus,
      timing: {
        submittedAt,
        startedAt,
        finishedAt,
        executionMs: startedAt !== undefined && finishedAt !== undefined ? finishedAt - startedAt : undefined,
        totalMs: performance.now() - started,
      },
      completedVia: finish.via,
      history: entry,
      dropped: submitted.dropped,
    };
  } catch (error) {
    if (signal?.aborted && !(error instanceof ComfyInterruptedError)) {
      await cancelAfterAbort(client, tracker, startDeadline("interrupt", timeouts.interrupt));
      throw interrupted(tracker.promptId, signal, undefined);
    }
    // A job we stopped waiting for would still run later, unobserved: take it off the server.
    if (error instanceof ComfyTimeoutError && (error.stage === "queue" || error.stage === "execution")) {
      await cancelAfterAbort(client, tracker, startDeadline("interrupt", timeouts.interrupt));
    }
    throw error;
  } finally {
    for (const off of unsubscribe) off();
  }
}

function interrupted(
  promptId: string,
  signal: AbortSignal,
  at: { nodeId?: string; nodeType?: string } | undefined,
) {
  return new ComfyInterruptedError(promptId, { ...at, cause: signal.reason, byUs: true });
}

/** Best effort: dequeue and interrupt our prompt, within the interrupt deadline. */
async function cancelAfterAbort(client: ComfyClient, tracker: JobTracker, deadline: Deadline): Promise<void> {
  const left = msLeft(deadline);
  if (left <= 0) return;
  try {
    await client.cancel(tracker.promptId, AbortSignal.timeout(Math.ceil(left)));
  } catch (error) {
    client.options.logger.warn?.(`could not interrupt ${tracker.promptId}: ${(error as Error).message}`);
  }
}

interface End {
  readonly via: "websocket" | "polling";
  readonly entry: HistoryEntry | undefined;
}

/**
 * Waits for the job's end: the socket's done signal, or `/history/{id}` when polling. Polls often
 * while the socket is down and rarely (a safety net) while it is up. Each stage has its own bound.
 */
function waitForEnd(
  client: ComfyClient,
  tracker: JobTracker,
  timeouts: Timeouts,
  socket: ReturnType<ComfyClient["socket"]> | undefined,
  signal: AbortSignal | undefined,
  registerWake: (wake: () => void) => void,
): Promise<End> {
  const promptId = tracker.promptId;
  const poll = client.options.pollIntervalMs;
  const safetyPoll = Math.max(5_000, poll * 10);
  return new Promise<End>((resolve, reject) => {
    let settled = false;
    let stageTimer: NodeJS.Timeout | undefined;
    let pollTimer: NodeJS.Timeout | undefined;
    let polling = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(stageTimer);
      clearTimeout(pollTimer);
      tracker.onDone = undefined;
      tracker.onStarted = undefined;
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const armStage = (stage: "queue" | "execution") => {
      clearTimeout(stageTimer);
      const bound = timeouts[stage];
      stageTimer = setTimeout(
        () =>
          settle(() =>
            reject(
              new ComfyTimeoutError(
                stage,
                bound,
                stage === "queue"
                  ? "the job did not start (other jobs ahead of it, or a stuck worker)"
                  : "the job did not finish",
                { promptId },
              ),
            ),
          ),
        bound,
      );
    };
    const onAbort = () => {
      settle(() => {
        void (async () => {
          // Cancel, then wait for the server to confirm (so the next job does not meet this one):
          // both within one interrupt bound.
          const deadline = startDeadline("interrupt", timeouts.interrupt);
          await cancelAfterAbort(client, tracker, deadline);
          while (!tracker.done && msLeft(deadline) > 0) {
            const where = await client
              .locate(promptId, AbortSignal.timeout(Math.ceil(msLeft(deadline)) || 1))
              .catch(() => undefined);
            if (!where || where.where === "history" || where.where === "unknown") break;
            await sleep(Math.min(poll, 200, msLeft(deadline)));
          }
          reject(interrupted(promptId, signal!, undefined));
        })();
      });
    };
    const schedulePoll = (delay: number) => {
      clearTimeout(pollTimer);
      if (!settled) pollTimer = setTimeout(runPoll, delay);
    };
    // While the server cannot be read (socket down, polls failing), the job goes on there: ride the
    // outage out for `timeouts.unreachable`, then fail with the last error (it names the prompt).
    let unreachableSince: number | undefined;
    const runPoll = async () => {
      if (settled || polling) return;
      polling = true;
      try {
        const where = await client.locate(promptId, signal);
        unreachableSince = undefined;
        if (settled) return;
        if (where.where === "history")
          return settle(() => resolve({ via: tracker.done ? "websocket" : "polling", entry: where.entry }));
        if (where.where === "running") tracker.markStarted();
        if (where.where === "unknown" && !tracker.done) {
          return settle(() =>
            reject(
              new ComfyPromptLostError(
                promptId,
                "not in the queue, not running, and not in /history (did the server restart?)",
              ),
            ),
          );
        }
      } catch (error) {
        if (settled || signal?.aborted) return;
        unreachableSince ??= performance.now();
        if (performance.now() - unreachableSince >= timeouts.unreachable) {
          settle(() => reject(error));
          return;
        }
        schedulePoll(poll);
        return;
      } finally {
        polling = false;
      }
      schedulePoll(socket?.state === "open" ? safetyPoll : poll);
    };
    registerWake(() => schedulePoll(socket?.state === "open" ? 0 : poll));
    tracker.onStarted = () => armStage("execution");
    tracker.onDone = () => settle(() => resolve({ via: "websocket", entry: undefined }));
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    if (tracker.done) return settle(() => resolve({ via: "websocket", entry: undefined }));
    armStage(tracker.started ? "execution" : "queue");
    // Events may have been missed while the socket was down before submit: check now if it is not open.
    schedulePoll(socket?.state === "open" && !tracker.gap ? safetyPoll : 0);
  });
}

/**
 * After the socket's done signal the history entry exists: read it (a few tries when it is missing,
 * for slow proxies; failures to reach the server ridden out for `timeouts.unreachable`).
 */
async function historyAfterDone(
  client: ComfyClient,
  promptId: string,
  timeouts: Timeouts,
  signal: AbortSignal | undefined,
): Promise<HistoryEntry> {
  let unreachableSince: number | undefined;
  for (let missing = 0; missing < 5; ) {
    let entry: HistoryEntry | undefined;
    try {
      entry = await client.historyEntry(promptId, signal ? { signal } : {});
    } catch (error) {
      if (signal?.aborted) throw error;
      unreachableSince ??= performance.now();
      if (performance.now() - unreachableSince >= timeouts.unreachable) throw error;
      await sleep(client.options.pollIntervalMs, signal);
      continue;
    }
    if (entry) return entry;
    unreachableSince = undefined;
    await sleep(50 * 2 ** missing, signal);
    missing++;
  }
  throw new ComfyResponseError(
    client.http.url(`history/${promptId}`).toString(),
    "the job ended but /history has no entry for it",
    { promptId },
  );
}

function failureFrom(entry: HistoryEntry, prompt: ApiPrompt, promptId: string): ComfyClientError {
  const error = messageData(entry, "execution_error");
  if (error) {
    const nodeId = String(error["node_id"] ?? "");
    const traceback = error["traceback"];
    return new ComfyExecutionError({
      promptId,
      nodeId,
      nodeType: String(error["node_type"] ?? prompt[nodeId]?.class_type ?? "unknown"),
      exceptionType: String(error["exception_type"] ?? "unknown"),
      exceptionMessage: String(error["exception_message"] ?? ""),
      traceback: Array.isArray(traceback)
        ? traceback.map(String)
        : typeof traceback === "string"
          ? [traceback]
          : [],
      location: nodeOrigin(prompt, nodeId)?.location,
      data: error,
    });
  }
  const stop = messageData(entry, "execution_interrupted");
  if (stop) {
    const nodeId = stop["node_id"];
    const nodeType = stop["node_type"];
    return new ComfyInterruptedError(promptId, {
      ...(typeof nodeId === "string" ? { nodeId } : {}),
      ...(typeof nodeType === "string" ? { nodeType } : {}),
      byUs: false,
    });
  }
  return new ComfyResponseError(
    "history",
    `job ended with status "${entry.status?.status_str}" and no error message`,
    { promptId },
  );
}
