/** The first differing line of two texts, and how many lines differ (by position). */
export function firstTextDifference(
  expected: string,
  actual: string,
): { summary: string; differingLines: number } | undefined {
  if (expected === actual) return undefined;
  const a = expected.split("\n");
  const b = actual.split("\n");
  let first = -1;
  let differing = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    differing++;
    if (first < 0) first = i;
  }
  const line = (text: string | undefined) =>
    text === undefined ? "(no line)" : JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
  return {
    differingLines: differing,
    summary: `${differing} line${differing === 1 ? "" : "s"} differ (${a.length} → ${b.length} lines); first at line ${first + 1}: expected ${line(a[first])}, got ${line(b[first])}`,
  };
}
