/**
 * Loss and accuracy curves as a standalone SVG (no dependency): two panels side by side, loss
 * (train and test) on the left, test accuracy on the right, epochs on the x axes.
 */

/** One epoch's numbers, as metrics.csv holds them. */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  /** Seconds of training (without evaluation). */
  seconds: number;
  samplesPerSecond: number;
}

interface Series {
  label: string;
  color: string;
  values: number[];
}

const W = 360;
const H = 260;
const M = { left: 52, right: 12, top: 28, bottom: 36 };

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function panel(x0: number, title: string, epochs: number[], series: Series[]): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const e0 = Math.min(...epochs);
  const e1 = Math.max(...epochs, e0 + 1);
  const px = (e: number): number => x0 + M.left + ((e - e0) / (e1 - e0)) * (W - M.left - M.right);
  const py = (v: number): number => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(
    `<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  );
  parts.push(
    `<rect x="${x0 + M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#999"/>`,
  );
  for (const v of ticks(lo, hi)) {
    const y = py(v).toFixed(1);
    parts.push(
      `<line x1="${x0 + M.left}" x2="${x0 + W - M.right}" y1="${y}" y2="${y}" stroke="#eee"/>`,
    );
    parts.push(`<text x="${x0 + M.left - 4}" y="${y}" text-anchor="end" dy="4">${v}</text>`);
  }
  for (const e of ticks(e0, e1, Math.min(8, e1 - e0)).filter(Number.isInteger)) {
    parts.push(
      `<text x="${px(e).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${e}</text>`,
    );
  }
  parts.push(`<text x="${x0 + W / 2}" y="${H - 4}" text-anchor="middle">epoch</text>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${px(epochs[i]!).toFixed(1)},${py(v).toFixed(1)}`);
    parts.push(
      `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(" ")}"/>`,
    );
    for (const p of pts) {
      const [cx, cy] = p.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`);
    }
    const ly = M.top + 14 + k * 14;
    parts.push(
      `<line x1="${x0 + W - M.right - 92}" x2="${x0 + W - M.right - 76}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${x0 + W - M.right - 72}" y="${ly}">${esc(s.label)}</text>`);
  });
  return parts.join("\n");
}

/**
 * The SVG document of the curves.
 *
 * @example
 * writeFileSync("curves.svg", curvesSvg(history, "Fashion-MNIST mlp"));
 */
export function curvesSvg(history: readonly EpochMetrics[], title: string): string {
  const epochs = history.map((h) => h.epoch);
  const body =
    history.length === 0
      ? `<text x="${W}" y="${H / 2}" text-anchor="middle">no epochs yet</text>`
      : panel(0, `${title}: loss`, epochs, [
          { label: "train", color: "#1f77b4", values: history.map((h) => h.trainLoss) },
          { label: "test", color: "#d62728", values: history.map((h) => h.testLoss) },
        ]) +
        "\n" +
        panel(W, `${title}: test accuracy (%)`, epochs, [
          { label: "test", color: "#2ca02c", values: history.map((h) => h.testAccuracy * 100) },
        ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" viewBox="0 0 ${2 * W} ${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${body}
</svg>
`;
}

/** metrics.csv: a header and one row per epoch. */
export function metricsCsv(history: readonly EpochMetrics[]): string {
  const rows = history.map((h) =>
    [
      h.epoch,
      h.trainLoss.toFixed(6),
      h.testLoss.toFixed(6),
      h.testAccuracy.toFixed(4),
      h.seconds.toFixed(2),
      h.samplesPerSecond.toFixed(1),
    ].join(","),
  );
  return ["epoch,train_loss,test_loss,test_accuracy,seconds,samples_per_second", ...rows, ""].join(
    "\n",
  );
}
