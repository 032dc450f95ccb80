/** Exponential backoff with full jitter, bounded by `maxDelayMs`. */
export interface BackoffOptions {
  /** Delay before the first retry (before jitter). */
  readonly initialDelayMs: number;
  /** Upper bound of any single delay. */
  readonly maxDelayMs: number;
  /** Growth factor per attempt. */
  readonly factor: number;
}

/**
 * The delay before retry number `attempt` (1-based): a random value in [d/2, d] where
 * d = min(max, initial × factor^(attempt−1)). Half-jitter keeps a floor so a crowd of clients
 * spreads out without retrying at once ("no reconnect storm").
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    options.maxDelayMs,
    options.initialDelayMs * options.factor ** Math.max(0, attempt - 1),
  );
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds, or undefined. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
