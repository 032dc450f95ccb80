/**
 * A unified diff (`--- expected`, `+++ actual`, hunks with 3 lines of context) of two texts, from their
 * longest common subsequence of lines. Texts over 4,000 lines each are shown whole, removed then added.
 */
export function unifiedDiff(
  expected: string,
  actual: string,
  labels = { expected: "expected", actual: "actual" },
): string {
  const a = expected.split("\n");
  const b = actual.split("\n");
  type Op = { readonly tag: " " | "-" | "+"; readonly line: string };
  const ops: Op[] = [];
  if (a.length * b.length > 16_000_000) {
    for (const line of a) ops.push({ tag: "-", line });
    for (const line of b) ops.push({ tag: "+", line });
  } else {
    // lcs[i][j]: longest common subsequence of a[i..] and b[j..].
    const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        ops.push({ tag: " ", line: a[i++]! });
        j++;
      } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
        // Removals before additions, as diff -u prints them.
        ops.push({ tag: "-", line: a[i++]! });
      } else {
        ops.push({ tag: "+", line: b[j++]! });
      }
    }
  }
  const out = [`--- ${labels.expected}`, `+++ ${labels.actual}`];
  const context = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.tag === " ") {
      k++;
      continue;
    }
    let start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are within 2 × context lines of each other.
    while (end < ops.length) {
      let next = end;
      while (next < ops.length && ops[next]!.tag !== " ") next++;
      let gap = next;
      while (gap < ops.length && ops[gap]!.tag === " ") gap++;
      end = next;
      if (gap >= ops.length || gap - next > 2 * context) break;
      end = gap;
    }
    const stop = Math.min(ops.length, end + context);
    const before = ops.slice(0, start);
    const oldStart = before.filter((o) => o.tag !== "+").length + 1;
    const newStart = before.filter((o) => o.tag !== "-").length + 1;
    const hunk = ops.slice(start, stop);
    out.push(
      `@@ -${oldStart},${hunk.filter((o) => o.tag !== "+").length} +${newStart},${hunk.filter((o) => o.tag !== "-").length} @@`,
    );
    for (const op of hunk) out.push(`${op.tag}${op.line}`);
    k = stop;
    start = stop;
  }
  return `${out.join("\n")}\n`;
}
