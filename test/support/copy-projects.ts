// Two projects for the copy tests, each a fake PostHog served over its own loopback host: a
// source with two dashboards, five insights (series on actions, a cohort filter, a cohort
// breakdown, a funnel exclusion on an action, a group aggregation), three actions and two cohorts
// (one static, one naming it), and group types "organization" (0) and "company" (1); a
// destination that has "Signed up" already, objects of its own (so its ids are not the
// source's), and only the group type "company" (0). Plus the walk over every id-holding location.
import type { PostHogClient } from "../../src/client.js";
import { findRefs, REF_CONTAINERS, type RefContainer, refId, valueAt } from "../../src/ascode/refs.js";
import { arrange } from "./analytics-project.js";
import { createFakePostHog, type FakePostHog, type FakePostHogOptions } from "../../src/testing/index.js";

/** The source's ids. */
export interface SourceIds {
  actions: { signedUp: number; purchased: number; pricing: number };
  cohorts: { beta: number; engaged: number };
  insights: { signups: number; purchases: number; byCohort: number; funnel: number; companies: number };
  dashboards: { growth: number; companies: number };
  /** An insight on no dashboard, aggregated by "organization", a group type the destination lacks. */
  organizations: number;
}

const trends = (series: object[], extra: object = {}) => ({
  kind: "InsightVizNode",
  source: { kind: "TrendsQuery", series, interval: "day", ...extra },
});

/** Seeds the source project. */
export async function seedSource(posthog: PostHogClient): Promise<SourceIds> {
  // Objects the copy must not carry, made first so that the source's ids run ahead of the destination's.
  for (const name of ["Unused A", "Unused B", "Unused C"]) {
    await posthog.actions.create({ name, steps: [{ event: name.toLowerCase() }] });
  }
  await posthog.cohorts.create({ name: "Unused cohort", filters: { properties: { type: "AND", values: [] } } });
  const signedUp = await posthog.actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
  const purchased = await posthog.actions.create({
    name: "Purchased",
    description: "Checkout completed",
    steps: [{ event: "purchase" }, { event: "$autocapture", selector: "button.buy", text: "Buy" }],
  });
  const pricing = await posthog.actions.create({
    name: "Visited pricing",
    steps: [{ event: "$pageview", url: "/pricing", url_matching: "contains" }],
  });
  const beta = await posthog.cohorts.create({ name: "Beta testers", is_static: true });
  const engaged = await posthog.cohorts.create({
    name: "Engaged beta testers",
    filters: {
      properties: {
        type: "AND",
        values: [
          { type: "cohort", key: "id", value: beta.id },
          {
            type: "behavioral",
            key: pricing.id,
            event_type: "actions",
            value: "performed_event",
            time_value: 30,
            time_interval: "day",
          },
        ],
      },
    },
  });
  const create = (name: string, query: object) => posthog.insights.create({ name, query } as never);
  const signups = await create("Signups", trends([{ kind: "ActionsNode", id: signedUp.id, name: "Signed up" }]));
  const purchases = await create(
    "Purchases by engaged testers",
    trends([{ kind: "ActionsNode", id: purchased.id }], {
      properties: [{ type: "cohort", key: "id", value: engaged.id }],
    }),
  );
  const byCohort = await create(
    "Signups by cohort",
    trends([{ kind: "EventsNode", event: "user signed up" }], {
      breakdownFilter: { breakdown_type: "cohort", breakdown: [engaged.id, beta.id] },
    }),
  );
  const funnel = await create("Signup funnel", {
    kind: "InsightVizNode",
    source: {
      kind: "FunnelsQuery",
      series: [
        { kind: "EventsNode", event: "$pageview" },
        { kind: "ActionsNode", id: signedUp.id },
      ],
      funnelsFilter: { exclusions: [{ kind: "ActionsNode", id: pricing.id, funnelFromStep: 0, funnelToStep: 1 }] },
    },
  });
  const companies = await create(
    "Companies signing up",
    trends([{ kind: "EventsNode", event: "user signed up", math: "unique_group", math_group_type_index: 1 }]),
  );
  const organizations = await create(
    "Organizations signing up",
    trends([{ kind: "EventsNode", event: "user signed up", math: "unique_group", math_group_type_index: 0 }]),
  );
  const growth = await posthog.dashboards.create({
    name: "Growth",
    description: "Signups and revenue",
    filters: { date_from: "-30d", properties: [{ type: "cohort", key: "id", value: engaged.id }] },
  });
  const companiesBoard = await posthog.dashboards.create({ name: "Companies" });
  for (const [insight, boards] of [
    [signups.id, [growth.id]],
    [purchases.id, [growth.id]],
    [funnel.id, [growth.id, companiesBoard.id]],
    [byCohort.id, [companiesBoard.id]],
    [companies.id, [companiesBoard.id]],
  ] as const) {
    await posthog.insights.update(insight, { dashboards: [...boards] });
  }
  await arrange(posthog, growth.id, [
    [signups.id, { x: 0, y: 0, w: 6, h: 5 }, "blue"],
    [purchases.id, { x: 6, y: 0, w: 6, h: 5 }],
    [funnel.id, { x: 0, y: 5, w: 12, h: 5 }],
  ]);
  // Tile filter overrides naming a cohort, and a group property of "company".
  for (const [board, insight, filters_overrides] of [
    [growth.id, signups.id, { properties: [{ type: "cohort", key: "id", value: beta.id }] }],
    [
      companiesBoard.id,
      companies.id,
      { properties: [{ type: "group", key: "industry", value: ["tech"], operator: "exact", group_type_index: 1 }] },
    ],
  ] as const) {
    const shown = await posthog.dashboards.retrieve(board);
    const tile = shown.tiles.find((candidate) => candidate.insight?.id === insight);
    await posthog.dashboards.update(board, { tiles: [{ id: tile?.id as number, filters_overrides }] } as never);
  }
  return {
    actions: { signedUp: signedUp.id, purchased: purchased.id, pricing: pricing.id },
    cohorts: { beta: beta.id, engaged: engaged.id },
    insights: {
      signups: signups.id,
      purchases: purchases.id,
      byCohort: byCohort.id,
      funnel: funnel.id,
      companies: companies.id,
    },
    dashboards: { growth: growth.id, companies: companiesBoard.id },
    organizations: organizations.id,
  };
}

/** Seeds the destination: its own objects, and "Signed up" (as the source defines it). */
export async function seedDestination(posthog: PostHogClient): Promise<{ signedUp: number }> {
  await posthog.actions.create({ name: "EU only", steps: [{ event: "eu" }] });
  const signedUp = await posthog.actions.create({ name: "Signed up", steps: [{ event: "user signed up" }] });
  await posthog.cohorts.create({ name: "EU cohort", filters: { properties: { type: "AND", values: [] } } });
  await posthog.insights.create({
    name: "EU only",
    query: trends([{ kind: "EventsNode", event: "eu" }]),
  } as never);
  return { signedUp: signedUp.id };
}

/** Each project's group types, by index. */
const GROUP_TYPES = new Map([
  [101, ["organization", "company"]],
  [202, ["company"]],
]);

/** Both projects, seeded and listening on their own loopback hosts. */
export async function copyProjects(options: Pick<FakePostHogOptions, "rateLimit"> = {}) {
  const source = createFakePostHog({
    ...options,
    projectId: 101,
    apiKey: "phx_us_source_key",
    groupTypes: GROUP_TYPES.get(101) ?? [],
  });
  const destination = createFakePostHog({
    ...options,
    projectId: 202,
    apiKey: "phx_eu_destination_key",
    groupTypes: GROUP_TYPES.get(202) ?? [],
  });
  const ids = await seedSource(source.client({ rateLimit: false }));
  const existing = await seedDestination(destination.client({ rateLimit: false }));
  const [us, eu] = [await source.listen(), await destination.listen()];
  return {
    source,
    destination,
    ids,
    existing,
    us,
    eu,
    /** The copy's flags naming both targets. */
    args: ["--host", us.url, "--project", "101", "--to-host", eu.url, "--to-project", "202"],
    /** Both keys, as a job's environment holds them. */
    keys: { POSTHOG_PERSONAL_API_KEY: source.apiKey, POSTHOG_TO_PERSONAL_API_KEY: destination.apiKey },
    async close() {
      await us.close();
      await eu.close();
    },
  };
}

/** What the destination holds once the dashboards are copied: its own objects and the copies, by name. */
export const COPIED = {
  actions: ["EU only", "Purchased", "Signed up", "Visited pricing"],
  cohorts: ["Beta testers", "EU cohort", "Engaged beta testers"],
  insights: [
    "Companies signing up",
    "EU only",
    "Purchases by engaged testers",
    "Signup funnel",
    "Signups",
    "Signups by cohort",
  ],
  dashboards: ["Companies", "Growth"],
  growthTiles: ["## Notes", "Purchases by engaged testers", "Signup funnel", "Signups"],
};

/** What a project holds, as `COPIED` lists it: every live object's name, and the tiles of "Growth". */
export function holdings(fake: FakePostHog): typeof COPIED {
  const live = (items: { name?: string | null; deleted?: boolean | null }[]) =>
    items
      .filter((item) => !item.deleted)
      .map((item) => item.name ?? "")
      .sort();
  const growth = fake.dashboards.find((dashboard) => dashboard.name === "Growth" && !dashboard.deleted);
  return {
    actions: live(fake.actions),
    cohorts: live(fake.cohorts),
    insights: live(fake.insights),
    dashboards: live(fake.dashboards),
    growthTiles: (growth?.tiles ?? [])
      .map((tile) => tile.insight?.name ?? tile.text?.body?.split("\n")[0] ?? "")
      .sort(),
  };
}

/** Where a kind's objects keep ids, as the fake stores them. */
const HOLDERS: Record<string, [string, RefContainer][]> = {
  insights: [
    ["query", "query"],
    ["filters", "insight_filters"],
  ],
  cohorts: [
    ["filters", "cohort_filters"],
    ["groups", "cohort_groups"],
  ],
  actions: [["steps", "action_steps"]],
  dashboards: [
    ["filters", "dashboard_filters"],
    ["persisted_filters", "dashboard_filters"],
    ["variables", "dashboard_variables"],
  ],
};

/** One id found in the destination, with what it names there and what the source named at the same place. */
export interface WalkedRef {
  where: string;
  kind: string;
  /** The name of what the id names in the destination (undefined: nothing there). */
  names: string | undefined;
  /** The name of what the source's object names at the same place. */
  sourceNames: string | undefined;
}

type Named = { id: number; name?: string | null; deleted?: boolean | null };

/**
 * Every id-holding location (every container refs.ts knows, tile overrides included) of the
 * destination's live objects that came from the source (`counterpart` finds the source object of
 * the same kind and name), each with what its id names in the destination and what the source
 * names at the same place: a copy that remapped every id names the same things on both sides.
 */
export function walkDestination(source: FakePostHog, destination: FakePostHog, kinds = HOLDERS): WalkedRef[] {
  const out: WalkedRef[] = [];
  const nameIn = (
    fake: FakePostHog,
    kind: string,
    id: number | string | undefined,
    groups: boolean,
  ): string | undefined => {
    if (id === undefined) {
      return undefined;
    }
    if (groups) {
      return GROUP_TYPES.get(fake.projectId)?.[id as number];
    }
    const list = (kind === "action" ? fake.actions : fake.cohorts) as Named[];
    return list.find((object) => object.id === id && !object.deleted)?.name ?? undefined;
  };
  const visit = (where: string, container: RefContainer, mine: unknown, theirs: unknown) => {
    for (const ref of findRefs(container, mine as never)) {
      if (ref.kind !== "action" && ref.kind !== "cohort" && ref.kind !== "group_type_index") {
        continue;
      }
      const theirRef = valueAt(theirs as never, ref.path);
      const groups = ref.kind === "group_type_index";
      const their = theirRef === undefined ? undefined : refId({ ...ref, value: theirRef as number });
      out.push({
        where: `${where} ${ref.path.join(".")}`,
        kind: ref.kind,
        names: nameIn(destination, ref.kind, refId(ref), groups),
        sourceNames: nameIn(source, ref.kind, their, groups),
      });
    }
  };
  for (const [plural, holders] of Object.entries(kinds)) {
    const mine = (destination as unknown as Record<string, Named[]>)[plural] ?? [];
    const theirs = (source as unknown as Record<string, Named[]>)[plural] ?? [];
    for (const object of mine.filter((o) => !o.deleted)) {
      const counterpart = theirs.find((o) => !o.deleted && o.name === object.name);
      if (!counterpart) {
        continue;
      }
      for (const [field, container] of holders) {
        visit(
          `${plural} ${JSON.stringify(object.name)} ${field}`,
          container,
          (object as never)[field],
          (counterpart as never)[field],
        );
      }
      // Tiles matched by what they show (their order may differ between the two dashboards).
      type Tile = {
        insight?: { name?: string | null } | null;
        text?: { body?: string | null } | null;
        filters_overrides?: unknown;
      };
      const shows = (tile: Tile) => tile.insight?.name ?? tile.text?.body;
      const theirTiles = (counterpart as { tiles?: Tile[] }).tiles ?? [];
      for (const tile of (object as { tiles?: Tile[] }).tiles ?? []) {
        const theirTile = theirTiles.find((candidate) => shows(candidate) === shows(tile));
        visit(
          `${plural} ${JSON.stringify(object.name)} tile ${JSON.stringify(shows(tile))} filters_overrides`,
          "tile_filters",
          tile.filters_overrides,
          theirTile?.filters_overrides,
        );
      }
    }
  }
  expectEveryContainer(kinds);
  return out;
}

/** The walk covers every container refs.ts knows (a new one must be walked too). */
function expectEveryContainer(kinds: Record<string, [string, RefContainer][]>): void {
  const walked = new Set([
    ...Object.values(kinds)
      .flat()
      .map(([, container]) => container),
    "tile_filters",
  ]);
  const missing = REF_CONTAINERS.filter((container) => !walked.has(container));
  if (missing.length > 0) {
    throw new Error(`The walk misses ${missing.join(", ")}.`);
  }
}
