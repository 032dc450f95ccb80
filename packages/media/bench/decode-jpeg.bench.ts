// Target (issue 11): decoding a 1024² JPEG with decodeImage against PIL 9.4 (Debian's python3, the
// library ComfyUI's LoadImage uses) on the same file in the same run. PIL's median comes from Python's
// own timer (Image.open + load + np.array, 30 runs) and is printed beside vitest's figures, so process
// start-up is not counted against it; decodeImage's median is taken the same way.
import { pythonWith, runPython } from "@comfy-ts/test-support";
import { bench, describe } from "vitest";
import { decodeImage, encodeJpeg } from "../src/index.js";

const size = 1024;
let seed = 3;
const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  const x = Math.floor(i / 3) % size;
  const y = Math.floor(i / 3 / size);
  return (((x + y) >> 2) + (seed >>> 28)) & 255;
});
const jpeg = await encodeJpeg({ width: size, height: size, channels: 3, data: rgb }, { quality: 90 });

const python = pythonWith(["PIL", "numpy"]);
if (python) {
  const timing = runPython(
    python,
    `import io, sys, time, statistics
import numpy as np
from PIL import Image
data = sys.stdin.buffer.read()
runs = []
for _ in range(30):
    t = time.perf_counter()
    np.array(Image.open(io.BytesIO(data)).convert("RGB"))
    runs.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(runs):.2f}")`,
    jpeg,
  );
  process.stdout.write(
    `PIL 9.4 decode of the same 1024² JPEG (Python's timer, median of 30): ${timing.toString().trim()} ms\n`,
  );
} else {
  process.stdout.write(
    "PIL anchor skipped: no python3 with PIL and numpy (Debian: apt-get install python3-pil python3-numpy)\n",
  );
}

// decodeImage's median by the same method (30 timed runs after a warm-up), for the side-by-side figure.
await decodeImage(jpeg);
const ours: number[] = [];
for (let i = 0; i < 30; i++) {
  const t = performance.now();
  await decodeImage(jpeg);
  ours.push(performance.now() - t);
}
ours.sort((a, b) => a - b);
process.stdout.write(
  `decodeImage of the 1024² JPEG (median of 30): ${((ours[14]! + ours[15]!) / 2).toFixed(2)} ms\n`,
);

describe("JPEG 1024² decode", () => {
  bench("decodeImage (sharp / libjpeg-turbo)", async () => {
    await decodeImage(jpeg, { name: "bench.jpg" });
  });
});
