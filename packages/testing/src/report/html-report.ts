import { readFile } from "node:fs/promises";
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

const LABELS: Record<ComparisonRecord["outcome"], string> = {
  matched: "matched",
  "golden-written": "golden written",
  "golden-updated": "golden updated",
  mismatch: "mismatch",
  "facts-mismatch": "facts changed",
  "kind-mismatch": "kind changed",
  "missing-golden": "missing golden",
  "golden-conflict": "golden conflict",
};

const IMAGE = /\.(png|jpe?g|webp|gif|bmp)$/i;
const VIDEO = /\.(mp4|m4v|mov|webm|mkv)$/i;
const AUDIO = /\.(flac|wav|mp3|opus|ogg|oga|m4a)$/i;

/** A file shown as the browser can: an image, a playable video or audio, else a link. */
function media(label: string, path: string): string {
  const src = href(path);
  const alt = escapeHtml(`${label}: ${path}`);
  if (IMAGE.test(path)) return `<a href="${src}"><img src="${src}" alt="${alt}" loading="eager"></a>`;
  if (VIDEO.test(path))
    return `<video src="${src}" controls loop muted preload="metadata" title="${alt}"></video>`;
  if (AUDIO.test(path)) return `<audio src="${src}" controls preload="metadata" title="${alt}"></audio>`;
  return `<a href="${src}">${escapeHtml(path.split("/").pop() ?? path)}</a>`;
}

/** One side: its picture (filmstrip, waveform, latent channels) when there is one, and the file itself. */
function figure(label: string, file: string | undefined, picture: string | undefined): string {
  if (!file && !picture) return `<figure class="none"><figcaption>${label}</figcaption><div>—</div></figure>`;
  const shownFile = file && (!picture || !IMAGE.test(file)) ? media(label, file) : "";
  return `<figure><figcaption>${label}</figcaption>${picture ? media(label, picture) : ""}${shownFile}</figure>`;
}

function diffFigure(path: string | undefined, text: string | undefined): string {
  if (text !== undefined)
    return `<figure class="text"><figcaption>diff</figcaption><pre class="diff">${escapeHtml(text)}</pre></figure>`;
  return figure("diff", undefined, path);
}

function row(record: ComparisonRecord, diffText: string | undefined): string {
  const status = record.pass ? "pass" : "fail";
  const facts = record.facts
    ? Object.entries(record.facts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")
    : "";
  const f = record.files;
  return `<section class="${status}" data-outcome="${record.outcome}" data-kind="${record.kind}">
<h2><span class="badge">${LABELS[record.outcome]}</span> ${escapeHtml(record.testName)} — <code>${escapeHtml(record.key)}</code> <span class="kind">${record.kind} (${record.format})</span></h2>
<p class="meta"><code>${escapeHtml(record.testFile)}</code> · golden <code>${escapeHtml(record.golden)}</code>${facts ? ` · ${escapeHtml(facts)}` : ""}${record.environmentKey ? ` · env <code>${escapeHtml(record.environmentKey)}</code>` : ""} · ${escapeHtml(record.comparator)}${record.summary ? ` · ${escapeHtml(record.summary)}` : ""}</p>
${record.pass ? "" : `<pre>${escapeHtml(record.message)}</pre>`}
<div class="images">${figure("expected", f.expected, f.expectedPicture)}${figure("actual", f.actual, f.actualPicture)}${diffFigure(f.diff, diffText)}</div>
</section>`;
}

/**
 * Renders the one-page report of a run: every comparison with expected / actual / diff side by side,
 * failures first. Image links are relative, so the page works from disk or as a CI artifact.
 */
export function renderHtmlReport(
  records: readonly ComparisonRecord[],
  textDiffs: ReadonlyMap<string, string> = new Map(),
): string {
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
pre.diff { max-width: 100%; overflow: auto; }
.kind { color: #666; font-weight: normal; }
video, audio { display: block; max-width: 360px; }
figure img + video, figure img + audio, figure img + a { margin-top: 0.3rem; }
img { min-width: 160px; max-width: 360px; max-height: 360px; image-rendering: pixelated; border: 1px solid #ccc; background: repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 16px 16px; }
</style>
</head>
<body>
<h1>Golden comparisons: ${failed.length} failed, ${passed.length} passed</h1>
${records.length === 0 ? "<p>No comparisons were recorded.</p>" : [...failed, ...passed].map((r) => row(r, r.files.diff ? textDiffs.get(r.files.diff) : undefined)).join("\n")}
<script>
// Marks each image with its decoded size and each player with what the browser read of its file (or
// "broken"), for people and for automated checks.
addEventListener("load", () => {
  for (const img of document.images) img.dataset.natural = img.naturalWidth > 0 ? img.naturalWidth + "x" + img.naturalHeight : "broken";
  document.body.dataset.imagesChecked = String(document.images.length);
});
const players = [...document.querySelectorAll("video, audio")];
let playersRead = 0;
if (players.length === 0) document.body.dataset.playersChecked = "0";
for (const player of players) {
  const read = (state) => {
    player.dataset.media = state;
    if (++playersRead === players.length) document.body.dataset.playersChecked = String(players.length);
  };
  const facts = () => (player.videoWidth ? player.videoWidth + "x" + player.videoHeight + " " : "") + player.duration.toFixed(3) + "s";
  if (player.readyState >= 1) read(facts());
  else if (player.error) read("broken");
  else {
    player.addEventListener("loadedmetadata", () => read(facts()), { once: true });
    player.addEventListener("error", () => read("broken"), { once: true });
  }
}
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
  const textDiffs = new Map<string, string>();
  for (const record of shown) {
    const diff = record.files.diff;
    if (diff?.endsWith(".diff")) {
      textDiffs.set(diff, await readFile(join(resultsDir, diff), "utf8").catch(() => "(diff file missing)"));
    }
  }
  await writeFileAtomic(path, renderHtmlReport(shown, textDiffs));
  return path;
}
