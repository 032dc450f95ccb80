/**
 * Sets each option on an FFmpeg object (codec or format context), private options included — what
 * `avcodec_open2`/`avformat_write_header` do with an options dictionary. A dictionary is not passed
 * instead: FFmpeg frees the one it consumes, and node-av would free it again when collected.
 */
export function setOptions(
  target: { setOption(name: string, value: string): number },
  options: Readonly<Record<string, string>>,
  fail: (name: string, code: number) => never,
): void {
  for (const [key, value] of Object.entries(options)) {
    const ret = target.setOption(key, value);
    if (ret < 0) fail(key, ret);
  }
}
