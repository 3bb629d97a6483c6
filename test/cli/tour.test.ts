// `npm start`'s CLI tour, as it runs there: every step exits 0 and the trends chart is drawn.
import { expect, it } from "vitest";
import { cliTour } from "../../scripts/cli-tour.js";

it("pulls, plans the edits (an insight renamed, a dashboard tile moved), pushes them and shows the chart, every step exiting 0", async () => {
  const lines: string[] = [];
  const steps = await cliTour((line) => lines.push(line));
  expect(steps.map((s) => [s.command.split(" ")[1], s.code])).toEqual([
    ["pull", 0],
    ["plan", 0],
    ["push", 0],
    ["show", 0],
  ]);
  expect(steps[1]?.stdout).toContain("Daily signups (all)");
  expect(steps[1]?.stdout).toMatch(
    /^update {4}dashboard:growth \(#\d+\)\n {4}tiles\[1\]\.layout\.w: 6 -> 12\n {4}tiles\[1\]\.layout\.x: 6 -> 0\n {4}tiles\[1\]\.layout\.y: 0 -> 6$/m,
  );
  expect(steps[2]?.stdout).toMatch(/^Plan: 0 to create, 0 to adopt, 2 to update/m);
  expect(steps[3]?.stdout).toMatch(/user signed up/);
  expect(lines.join("\n")).toContain("daily-signups.insight.yaml");
  expect(lines.join("\n")).toContain("growth.dashboard.yaml");
  expect(lines.join("\n")).toContain("  - insight: signup-funnel");
});
