import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * hit@k for k = 1…10, one line per mode, as an SVG: vega-lite compiled to
 * vega and rendered headless with the "none" renderer (no canvas, no
 * browser), so the chart is made by the same command as the figures.
 * `curves` maps a mode to hit@1…hit@10; a null point (no answerable
 * questions) is left out rather than drawn as 0.
 */
export async function hitAtKChartSvg(curves: Readonly<Record<string, readonly (number | null)[]>>): Promise<string> {
  const values = Object.entries(curves).flatMap(([mode, curve]) => {
    if (curve.length > 10) throw new RangeError(`${mode}: a hit@k curve has at most 10 points, got ${curve.length}`);
    return curve.flatMap((hit, i) => {
      if (hit === null) return [];
      if (!(hit >= 0 && hit <= 1)) throw new RangeError(`${mode}: hit@${i + 1} must lie in 0..1, got ${hit}`);
      return [{ mode, k: i + 1, hit }];
    });
  });
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "hit@k by retrieval mode",
    width: 420,
    height: 260,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "k", type: "quantitative", title: "k", scale: { domain: [1, 10] }, axis: { tickCount: 10, format: "d" } },
      y: { field: "hit", type: "quantitative", title: "hit@k", scale: { domain: [0, 1] }, axis: { format: ".0%" } },
      // Legend in the caller's order (hybrid, dense, lexical), not alphabetical.
      color: { field: "mode", type: "nominal", title: "mode", scale: { domain: Object.keys(curves) } },
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
