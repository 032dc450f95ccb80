import { join } from "node:path";
import { writeFileAtomic } from "../golden/atomic-write.js";
import { type ComparisonRecord, readComparisonRecords } from "./comparison-record.js";

/** The report's file name inside the results folder. */
export const REPORT_FILE = "index.html";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Encodes each path segment, so names with spaces or `#` stay relative file links. */
function href(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function percent(ratio: number | undefined): string {
  return ratio === undefined ? "" : `${(Math.ceil(ratio * 10000) / 100).toFixed(2)}%`;
}

const LABELS: Record<ComparisonRecord["outcome"], string> = {
  matched: "matched",
  "golden-written": "golden written",
  "golden-updated": "golden updated",
  mismatch: "mismatch",
  "size-mismatch": "size changed",
  "missing-golden": "missing golden",
};

function figure(label: string, path: string | undefined): string {
  if (!path) return `<figure class="none"><figcaption>${label}</figcaption><div>—</div></figure>`;
  return `<figure><figcaption>${label}</figcaption><a href="${href(path)}"><img src="${href(path)}" alt="${escapeHtml(`${label}: ${path}`)}" loading="eager"></a></figure>`;
}

function row(record: ComparisonRecord): string {
  const status = record.pass ? "pass" : "fail";
  const size = record.width !== undefined ? `${record.width}×${record.height}` : "";
  const metrics =
    record.diffPixels !== undefined
      ? `${record.diffPixels} px differ (${percent(record.diffRatio)})${record.allowedDiffPixels !== undefined ? `, allowed ${record.allowedDiffPixels}` : ""}`
      : "";
  return `<section class="${status}" data-outcome="${record.outcome}">
<h2><span class="badge">${LABELS[record.outcome]}</span> ${escapeHtml(record.testName)} — <code>${escapeHtml(record.key)}</code></h2>
<p class="meta"><code>${escapeHtml(record.testFile)}</code> · golden <code>${escapeHtml(record.golden)}</code>${size ? ` · ${size}` : ""}${record.environmentKey ? ` · env <code>${escapeHtml(record.environmentKey)}</code>` : ""}${metrics ? ` · ${metrics}` : ""}</p>
${record.pass ? "" : `<pre>${escapeHtml(record.message)}</pre>`}
<div class="images">${figure("expected", record.images.expected)}${figure("actual", record.images.actual)}${figure("diff", record.images.diff)}</div>
</section>`;
}

/**
 * Renders the one-page report of a run: every comparison with expected / actual / diff side by side,
 * failures first. Image links are relative, so the page works from disk or as a CI artifact.
 */
export function renderHtmlReport(records: readonly ComparisonRecord[]): string {
  const failed = records.filter((r) => !r.pass);
  const passed = records.filter((r) => r.pass);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>comfy-ts golden report: ${failed.length} failed, ${passed.length} passed</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
section { border: 1px solid #ddd; border-left: 6px solid #3a3; border-radius: 4px; margin: 1rem 0; padding: 0.5rem 1rem; }
section.fail { border-left-color: #d33; }
h2 { font-size: 15px; margin: 0.3rem 0; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 3px; background: #3a3; color: #fff; font-weight: 600; }
.fail .badge { background: #d33; }
.meta { color: #555; margin: 0.2rem 0; }
pre { background: #f6f6f6; padding: 0.5rem; white-space: pre-wrap; }
.images { display: flex; gap: 1rem; flex-wrap: wrap; }
figure { margin: 0; }
figcaption { font-weight: 600; }
img { min-width: 160px; max-width: 360px; max-height: 360px; image-rendering: pixelated; border: 1px solid #ccc; background: repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
</style>
</head>
<body>
<h1>Golden comparisons: ${failed.length} failed, ${passed.length} passed</h1>
${records.length === 0 ? "<p>No comparisons were recorded.</p>" : [...failed, ...passed].map(row).join("\n")}
<script>
// Marks each image with its decoded size (or "broken"), for people and for automated checks.
addEventListener("load", () => {
  for (const img of document.images) img.dataset.natural = img.naturalWidth > 0 ? img.naturalWidth + "x" + img.naturalHeight : "broken";
  document.body.dataset.imagesChecked = String(document.images.length);
});
</script>
</body>
</html>
`;
}

/**
 * Reads the records of the results folder and (re)writes `index.html` there; returns its path. With
 * `runId`, only that run's comparisons (records an earlier run left behind are not shown).
 */
export async function writeHtmlReport(resultsDir: string, options: { runId?: string } = {}): Promise<string> {
  const path = join(resultsDir, REPORT_FILE);
  const records = await readComparisonRecords(resultsDir);
  const shown = options.runId === undefined ? records : records.filter((r) => r.runId === options.runId);
  await writeFileAtomic(path, renderHtmlReport(shown));
  return path;
}
