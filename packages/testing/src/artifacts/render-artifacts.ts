import type { Unit } from "../compare/samples.js";
import type { DecodedOutput } from "../outputs/decoded-output.js";
import { filmstrip, type Picture, rasterDiffPicture, rasterPicture } from "./raster-pictures.js";
import { signalDiffPicture, waveformPicture } from "./signal-pictures.js";
import { tensorPicture } from "./tensor-pictures.js";
import { unifiedDiff } from "./text-diff.js";

/** What a person looks at for one comparison: pictures of both sides and of their difference, or a text diff. */
export interface RenderedArtifacts {
  readonly expected?: Picture;
  readonly actual?: Picture;
  /** The difference: a diff picture, a filmstrip with a diff row, a difference waveform, per-channel |Δ|. */
  readonly diff?: Picture;
  /** Text outputs: a unified diff. */
  readonly textDiff?: string;
}

function rasters(units: readonly Unit[]) {
  return units.flatMap((u) => (u.samples.type === "raster" ? [u.samples] : []));
}

/**
 * Pictures per kind: stills as themselves (a PNG golden is its own picture) with a diff picture;
 * animations and video as filmstrips (expected, actual, and a grid of expected / actual / diff rows);
 * audio as waveforms per channel and the difference waveform; latents as per-channel images of the
 * first tensor with spatial axes and its per-channel |Δ|; text as a unified diff.
 */
export function renderArtifacts(
  expected: DecodedOutput | undefined,
  actual: DecodedOutput | undefined,
): RenderedArtifacts {
  const side = expected ?? actual;
  if (!side) return {};
  const comparable =
    expected !== undefined && actual !== undefined && expected.units.length === actual.units.length;
  switch (side.kind) {
    case "image": {
      const e = expected && rasters(expected.units)[0];
      const a = actual && rasters(actual.units)[0];
      const sameShape = e && a && e.width === a.width && e.height === a.height && e.channels === a.channels;
      return {
        ...(e && expected?.format !== "png" ? { expected: rasterPicture(e) } : {}),
        ...(a && actual?.format !== "png" ? { actual: rasterPicture(a) } : {}),
        ...(sameShape ? { diff: rasterDiffPicture(e, a) } : {}),
      };
    }
    case "animation":
    case "video": {
      const e = expected ? rasters(expected.units) : [];
      const a = actual ? rasters(actual.units) : [];
      const sameShape =
        comparable &&
        e.every(
          (f, i) =>
            a[i] && f.width === a[i].width && f.height === a[i].height && f.channels === a[i].channels,
        );
      return {
        ...(e.length ? { expected: filmstrip([e.map(rasterPicture)]) } : {}),
        ...(a.length ? { actual: filmstrip([a.map(rasterPicture)]) } : {}),
        ...(sameShape
          ? {
              diff: filmstrip([
                e.map(rasterPicture),
                a.map(rasterPicture),
                e.map((f, i) => rasterDiffPicture(f, a[i]!)),
              ]),
            }
          : {}),
      };
    }
    case "audio": {
      const signal = (o: DecodedOutput | undefined) =>
        o?.units[0]?.samples.type === "signal" ? o.units[0].samples : undefined;
      const e = signal(expected);
      const a = signal(actual);
      const sameShape =
        e &&
        a &&
        e.channels.length === a.channels.length &&
        e.channels.every((c, i) => c.length === a.channels[i]!.length);
      return {
        ...(e ? { expected: waveformPicture(e.channels) } : {}),
        ...(a ? { actual: waveformPicture(a.channels) } : {}),
        ...(sameShape ? { diff: signalDiffPicture(e, a) } : {}),
      };
    }
    case "latent": {
      const pick = (o: DecodedOutput | undefined) =>
        o?.units
          .map((u) => u.samples)
          .find((s) => s.type === "tensor" && s.shape.length >= 3 && s.values.length > 0);
      const e = pick(expected);
      const a = pick(actual);
      const ep = e?.type === "tensor" ? tensorPicture(e) : undefined;
      const ap = a?.type === "tensor" ? tensorPicture(a) : undefined;
      const sameShape = e?.type === "tensor" && a?.type === "tensor" && e.shape.join() === a.shape.join();
      const dp = sameShape ? tensorPicture(e, a) : undefined;
      return { ...(ep ? { expected: ep } : {}), ...(ap ? { actual: ap } : {}), ...(dp ? { diff: dp } : {}) };
    }
    case "text": {
      const text = (o: DecodedOutput | undefined) =>
        o?.units[0]?.samples.type === "text" ? o.units[0].samples.text : undefined;
      const e = text(expected);
      const a = text(actual);
      return e !== undefined && a !== undefined && e !== a ? { textDiff: unifiedDiff(e, a) } : {};
    }
  }
}
