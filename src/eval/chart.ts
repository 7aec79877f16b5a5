import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * hit@k for k = 1…10, one line per mode, as an SVG: vega-lite compiled to
 * vega and rendered headless (no canvas, no browser), so the chart is made
 * by the same command as the figures.
 */
export async function hitAtKChartSvg(curves: Readonly<Record<string, readonly (number | null)[]>>): Promise<string> {
  const values = Object.entries(curves).flatMap(([mode, curve]) => curve.flatMap((hit, i) => (hit === null ? [] : [{ mode, k: i + 1, hit }])));
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: "hit@k by retrieval mode",
    width: 420,
    height: 260,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "k", type: "quantitative", title: "k", scale: { domain: [1, 10] }, axis: { tickCount: 10 } },
      y: { field: "hit", type: "quantitative", title: "hit@k", scale: { domain: [0, 1] } },
      color: { field: "mode", type: "nominal", title: "mode" },
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
