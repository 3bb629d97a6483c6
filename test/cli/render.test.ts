// show's drawing, pure: each kind's plain-text form against a file snapshot, and the rules that
// hold for every kind (width, colours, fallbacks).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTrends, resample } from "../../src/cli/render/chart.js";
import { bar } from "../../src/cli/render/funnel.js";
import { insightKind, kindLabel, renderInsight, renderResult } from "../../src/cli/render/insight.js";
import { parseCells, parseHeatmap, parseSeries } from "../../src/cli/render/shapes.js";
import { resultTable } from "../../src/cli/render/tabular.js";
import { listTable } from "../../src/cli/commands/list.js";
import { terminalColumns, truncate, useColor, visibleWidth } from "../../src/cli/render/style.js";
import { renderTable } from "../../src/cli/render/table.js";
import * as fixtures from "./result-fixtures.js";

const plain = { columns: 80, color: false };
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
const ESCAPE = /\x1b\[/;

describe("show: each kind's plain form", () => {
  for (const [name, insight] of Object.entries(fixtures)) {
    it(`draws ${name}`, async () => {
      await expect(`${renderInsight(insight, plain)}\n`).toMatchFileSnapshot(`./__snapshots__/show-${name}.txt`);
    });
  }

  it("draws trends on a narrow terminal as a table of totals", async () => {
    await expect(`${renderInsight(fixtures.trends, { columns: 50, color: false })}\n`).toMatchFileSnapshot(
      "./__snapshots__/show-trends-narrow.txt",
    );
  });

  it("never draws a line wider than the terminal, for any kind and width", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(fixtures)),
        fc.integer({ min: 20, max: 240 }),
        (insight, columns) => {
          const text = renderInsight(insight, { columns, color: false });
          for (const line of text.split("\n")) {
            expect(visibleWidth(line)).toBeLessThanOrEqual(columns);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("show: colours", () => {
  it("draws no escape codes without colours", () => {
    for (const insight of Object.values(fixtures)) {
      expect(renderInsight(insight, { columns: 120, color: false })).not.toMatch(ESCAPE);
    }
  });

  it("colours each series of a chart, and its legend, with its own colour", () => {
    const text = renderInsight(fixtures.trends, { columns: 120, color: true });
    expect(text).toContain("\x1b[36m──\x1b[0m $pageview");
    expect(text).toContain("\x1b[35m──\x1b[0m user signed up");
  });

  it("colours only on a terminal, and never with NO_COLOR set", () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(undefined, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(true, { NO_COLOR: "" })).toBe(true);
  });

  it("follows FORCE_COLOR before the rest: 0 or false turns colours off on a terminal, anything else on when piped", () => {
    expect(useColor(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(useColor(true, { FORCE_COLOR: "false" })).toBe(false);
    expect(useColor(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: "" })).toBe(true);
    expect(useColor(false, { FORCE_COLOR: "3", NO_COLOR: "1" })).toBe(true);
  });

  it("takes the stream's width, else COLUMNS, else 80", () => {
    expect(terminalColumns(132, { COLUMNS: "40" })).toBe(132);
    expect(terminalColumns(undefined, { COLUMNS: "40" })).toBe(40);
    expect(terminalColumns(undefined, { COLUMNS: "wide" })).toBe(80);
  });
});

describe("show: trends", () => {
  it("puts the first, middle and last dates under the plot and each series' total in the legend", () => {
    const text = renderInsight(fixtures.trends, plain);
    expect(text).toMatch(/^ {4}2024-05-01 +2024-05-07 +2024-05-14$/m);
    expect(text).toMatch(/^── \$pageview +total 2,934$/m);
    expect(text).toMatch(/^── user signed up +total {3}622$/m);
  });

  it("starts the y axis at zero and ends it at the largest value", () => {
    const lines = renderInsight(fixtures.trends, plain).split("\n");
    expect(lines.find((line) => line.includes("┼") || line.includes("┤"))).toMatch(/^330 [┼┤]/);
    expect(lines.filter((line) => /^ {2}0 [┼┤]/.test(line))).toHaveLength(1);
  });

  it("shows total-value displays (no data points) as totals per breakdown value", () => {
    const text = renderInsight(fixtures.trendsTotals, plain);
    expect(text).toMatch(/^\$pageview · Chrome +1,840$/m);
    expect(text).not.toContain("┤");
  });

  it("keeps a series' first and last values when stretching or squeezing it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 2, max: 200 }),
        (data, width) => {
          const out = resample(data, width);
          expect(out).toHaveLength(width);
          expect(Math.min(...out)).toBeGreaterThanOrEqual(Math.min(...data));
          expect(Math.max(...out)).toBeLessThanOrEqual(Math.max(...data));
          if (data.length <= width) {
            expect(out[0]).toBe(data[0]);
            expect(out.at(-1)).toBeCloseTo(data.at(-1) ?? Number.NaN);
          }
        },
      ),
    );
  });

  it("names series by custom name, breakdown value and compare label", () => {
    const series = parseSeries([
      { data: [1, 2], label: "$pageview", action: { custom_name: "Views" }, breakdown_value: "Chrome" },
      { data: [3, 4], label: "$pageview", compare: true, compare_label: "previous", count: 7 },
    ]);
    expect(series?.map((one) => [one.label, one.total])).toEqual([
      ["Views · Chrome", 3],
      ["$pageview (previous)", 7],
    ]);
  });

  it("draws a series with a single point as its total", () => {
    const text = renderTrends([{ label: "a", data: [5], days: ["2024-05-01"], labels: [], total: 5 }], plain);
    expect(text).toMatch(/^a +5$/m);
  });
});

describe("show: funnels", () => {
  it("gives each step its count, conversion from the first step and from the previous one", () => {
    const text = renderInsight(fixtures.funnel, plain);
    expect(text).toMatch(/^1\. \$pageview +█+ +1,000 +100\.0%$/m);
    expect(text).toMatch(/^2\. signup started +█+ +420 +42\.0% +42\.0%$/m);
    expect(text).toMatch(/^3\. user signed up +█+▊? +315 +31\.5% +75\.0%$/m);
  });

  it("draws one block per breakdown value", () => {
    const text = renderInsight(fixtures.funnelBreakdown, plain);
    expect(text).toMatch(/^Chrome\n/m);
    expect(text).toMatch(/^Safari\n/m);
    expect(text).toMatch(/^2\. user signed up .* 26\.3% +26\.3%$/m);
  });

  it("drops the bars, not the numbers, on a narrow terminal", () => {
    const text = renderInsight(fixtures.funnel, { columns: 50, color: false });
    expect(text).not.toContain("█");
    expect(text).toMatch(/^3\. user signed up +315 +31\.5% +75\.0%$/m);
  });

  it("draws bars in proportion, in eighths of a column", () => {
    expect(bar(50, 100, 10)).toBe("█████");
    expect(bar(1, 100, 10)).toBe("▏");
    expect(bar(0, 100, 10)).toBe("");
    expect(bar(10, 0, 10)).toBe("");
  });
});

describe("show: tables", () => {
  it("shows retention as the share of each cohort that came back", () => {
    const text = renderInsight(fixtures.retention, plain);
    expect(text).toMatch(/^cohort +size +Day 0 +Day 1 +Day 2 +Day 3$/m);
    expect(text).toMatch(/^2024-05-01 +200 +100\.0% +40\.0% +32\.0% +25\.0%$/m);
  });

  it("shows SQL results under their column names, numbers on the right", () => {
    const text = renderInsight(fixtures.sql, plain);
    expect(text).toMatch(/^plan +count\(\) +sum\(amount\)$/m);
    expect(text).toMatch(/^pro +312 +14,977\.5$/m);
  });

  it("shows paths busiest first", () => {
    const rows = renderInsight(fixtures.paths, plain).split("\n").slice(4);
    expect(rows[0]).toMatch(/2_\/docs +310$/);
  });

  it("cuts the widest column first, then leaves columns off with a note", () => {
    const columns = ["name", "a", "b", "c"].map((header) => ({ header }));
    const cut = renderTable(columns, [["a very long insight name indeed", "1", "2", "3"]], {
      columns: 30,
      color: false,
    });
    expect(cut).toContain("a very long insight …  1  2  3");
    const dropped = renderTable(columns, [["a very long insight name indeed", "111111111", "222222222", "333333333"]], {
      columns: 30,
      color: false,
    });
    expect(dropped).toMatch(/^\(1 more column not shown/m);
  });

  it("shows a result of an unknown kind as a table of its objects", () => {
    const text = renderResult("FutureQuery", { result: [{ day: "mon", n: 3 }], columns: null, query: null }, plain);
    expect(text).toMatch(/^day +n\n/);
    expect(text).toMatch(/^mon +3$/m);
  });

  it("falls back to the generic views when a result does not have its kind's shape", () => {
    const text = renderResult("FunnelsQuery", { result: [["x", 1]], columns: ["k", "v"], query: null }, plain);
    expect(text).toMatch(/^x +1$/m);
  });

  it("shows a calendar heatmap as one shaded line per weekday with its total", () => {
    const lines = renderInsight(fixtures.heatmap, plain).split("\n");
    expect(lines[2]).toMatch(/^ {5}0 {5}3 {5}6 {5}9 /);
    expect(lines[3]).toBe(`Mon  ${"··".repeat(9)}▓▓██${"··".repeat(13)}  310`);
    expect(lines[9]).toBe(`Sun  ░░${"··".repeat(23)}  12`);
    expect(lines.at(-1)).toBe("· none  ░ ▒ ▓ █ up to the busiest hour (220)  total 690");
  });

  it("takes a heatmap's totals from PostHog (users counted once a day), and sums hours only without them", () => {
    const result = fixtures.heatmap.result as { data: unknown[] };
    expect(parseHeatmap(result)?.dayTotals[0]).toBe(310);
    expect(parseHeatmap({ data: result.data })).toMatchObject({ total: 802 });
    expect(parseHeatmap({ data: result.data })?.dayTotals[0]).toBe(350);
  });

  it("draws a heatmap one character an hour when two do not fit, and exports it only for its kind", () => {
    const narrow = renderInsight(fixtures.heatmap, { columns: 40, color: false }).split("\n");
    expect(narrow.find((line) => line.startsWith("Mon"))).toBe(`Mon  ${"·".repeat(9)}▓█${"·".repeat(13)}  310`);
    expect(resultTable("CalendarHeatmapQuery", fixtures.heatmap.result, null).columns).toHaveLength(26);
    expect(resultTable("HogQuery", { data: [] }, null)).toEqual({ columns: ["result"], rows: [[{ data: [] }]] });
  });

  it("reads rows of marketing cells by value, but not SQL rows of other objects", () => {
    expect(parseCells([[{ key: "spend", kind: "currency", value: 3 }]], null)).toEqual({
      columns: ["spend"],
      rows: [[3]],
    });
    expect(parseCells([[{ key: "a", kind: "x", value: 1, other: 2 }]], null)).toBeUndefined();
    expect(parseCells([[{ key: "a", value: 1 }]], null)).toBeUndefined();
    expect(parseCells([[]], null)).toBeUndefined();
  });

  it("shows a marketing-analytics table by the values of its cells", () => {
    const text = renderInsight(fixtures.marketing, plain);
    expect(text).toMatch(/^campaign +source +spend +clicks$/m);
    expect(text).toMatch(/^spring_sale +google +1,200\.5 +3,400$/m);
  });

  it("says how to get results when there are none", () => {
    expect(renderInsight({ ...fixtures.trends, result: null }, plain)).toContain("Run with --refresh to calculate.");
  });
});

describe("insight kinds", () => {
  it("names an insight by its query's kind", () => {
    expect(insightKind(fixtures.funnel.query)).toBe("FunnelsQuery");
    expect(insightKind(fixtures.sql.query)).toBe("SQL");
    expect(insightKind({ kind: "DataTableNode", source: { kind: "EventsQuery" } })).toBe("DataTableNode");
    expect(insightKind(null)).toBe("unknown");
  });

  it("gives each kind a short label, words apart", () => {
    expect(kindLabel("TrendsQuery")).toBe("trends");
    expect(kindLabel("CalendarHeatmapQuery")).toBe("calendar heatmap");
    expect(kindLabel("WebStatsTableQuery")).toBe("web stats table");
    expect(kindLabel("HogQLQuery")).toBe("hogql");
    expect(kindLabel("SQL")).toBe("SQL");
  });
});

describe("widths by display columns", () => {
  const names = [
    "週次アクティブユーザー数の推移（全プラットフォーム）",
    "📈 Revenue 💰 by plan 🚀🚀🚀",
    "Café crème — naïve",
    "가입 전환율 퍼널",
  ];
  const insights = names.map((name, i) => ({
    id: i + 1,
    short_id: `AbCd${1000 + i}`,
    name,
    derived_name: null,
    query: null,
    last_modified_at: "2026-11-01T10:00:00Z",
  }));

  it("measures wide characters and emoji as two columns, combining marks as none", () => {
    expect(visibleWidth("売上")).toBe(4);
    expect(visibleWidth("📈")).toBe(2);
    expect(visibleWidth("e\u0301")).toBe(1);
    expect(visibleWidth("\x1b[1mab\x1b[0m")).toBe(2);
  });

  it("cuts by columns, never in the middle of a character or an emoji sequence", () => {
    expect(truncate("週次アクティブユーザー", 9)).toBe("週次アク…");
    expect(truncate("👩‍👩‍👧 family", 4)).toBe("👩‍👩‍👧 …");
    expect(truncate("👩‍👩‍👧 family", 3)).toBe("👩‍👩‍👧…");
    expect(truncate("👩‍👩‍👧 family", 2)).toBe("…");
  });

  it("list fits CJK and emoji names in COLUMNS=40 (and any width)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 120 }), (columns) => {
        for (const line of listTable(insights as never, columns, false).split("\n")) {
          expect(visibleWidth(line), line).toBeLessThanOrEqual(columns);
        }
      }),
    );
    const text = listTable(insights as never, 40, false);
    expect(text).toContain("…");
  });
});
