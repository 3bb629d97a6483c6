// The query PostHog serves for an insight saved with legacy `filters` only (its model's
// `query_from_filters`: `{"kind": "InsightVizNode", "source": filter_to_query(filters), "full":
// true}`), for the common filter keys: insight type, events and actions, dates, interval,
// properties, breakdown, compare, display and each type's own options. Pure.

type Node = Record<string, unknown>;

/** The query kind of each legacy insight type (`filters.insight`). */
export const INSIGHT_KINDS: Record<string, string> = {
  TRENDS: "TrendsQuery",
  FUNNELS: "FunnelsQuery",
  RETENTION: "RetentionQuery",
  PATHS: "PathsQuery",
  STICKINESS: "StickinessQuery",
  LIFECYCLE: "LifecycleQuery",
};
const WITH_SERIES = new Set(["TrendsQuery", "FunnelsQuery", "StickinessQuery", "LifecycleQuery"]);

const isNode = (value: unknown): value is Node => typeof value === "object" && value !== null && !Array.isArray(value);
const list = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);

/** Copies the keys whose value is set, renamed: `[from, to]` pairs. */
function pick(from: Node, pairs: [string, string][]): Node | undefined {
  const out: Node = {};
  for (const [key, to] of pairs) {
    if (from[key] !== undefined && from[key] !== null) {
      out[to] = from[key];
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A legacy property filter (or group of them) as a query property filter. */
function property(value: unknown): unknown {
  if (!isNode(value)) {
    return value;
  }
  if (Array.isArray(value.values) && (value.type === "AND" || value.type === "OR")) {
    return { type: value.type, values: value.values.map(property) };
  }
  return {
    ...value,
    key: value.key,
    value: value.value ?? null,
    operator: value.operator ?? "exact",
    type: value.type ?? "event",
  };
}

function properties(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(property);
  }
  return isNode(value) ? property(value) : undefined;
}

function seriesNode(entity: Node, type: "events" | "actions"): Node {
  const node: Node =
    type === "actions"
      ? { kind: "ActionsNode", id: Number(entity.id) }
      : { kind: "EventsNode", event: typeof entity.id === "string" ? entity.id : null };
  const name = entity.name ?? (type === "events" ? entity.id : undefined);
  return {
    ...node,
    ...pick({ ...entity, name }, [
      ["name", "name"],
      ["custom_name", "custom_name"],
      ["math", "math"],
      ["math_property", "math_property"],
      ["math_hogql", "math_hogql"],
      ["math_group_type_index", "math_group_type_index"],
    ]),
    ...(Array.isArray(entity.properties) && entity.properties.length > 0
      ? { properties: entity.properties.map(property) }
      : {}),
  };
}

function series(filters: Node): Node[] {
  const entities = [
    ...list(filters.events).map((e) => ({ e, type: "events" as const })),
    ...list(filters.actions).map((e) => ({ e, type: "actions" as const })),
  ];
  entities.sort((a, b) => Number(a.e.order ?? 0) - Number(b.e.order ?? 0));
  return entities.map(({ e, type }) => seriesNode(e, type));
}

/**
 * The query PostHog derives from an insight's legacy `filters`, or null when there are none (or
 * the insight type has no query form).
 *
 * @example
 * queryFromFilters({ events: [{ id: "$pageview" }] });
 * // { kind: "InsightVizNode", source: { kind: "TrendsQuery", series: [{ kind: "EventsNode", event: "$pageview", name: "$pageview" }] }, full: true }
 */
export function queryFromFilters(filters: Node): Node | null {
  // An insight with no filters at all keeps a null query here. (PostHog converts `{}` too, which
  // by our reading of filter_to_query gives an empty trends query; not confirmed by its tests.)
  if (Object.keys(filters).length === 0) {
    return null;
  }
  const kind = INSIGHT_KINDS[String(filters.insight ?? "TRENDS").toUpperCase()];
  if (!kind) {
    return null;
  }
  const source: Node = { kind };
  if (WITH_SERIES.has(kind)) {
    const all = series(filters);
    source.series = kind === "LifecycleQuery" ? all.slice(0, 1) : all;
    if (typeof filters.interval === "string") {
      source.interval = filters.interval;
    }
  }
  const dateRange = pick(filters, [
    ["date_from", "date_from"],
    ["date_to", "date_to"],
  ]);
  if (dateRange) {
    source.dateRange = dateRange;
  }
  const props = properties(filters.properties);
  if (props !== undefined && !(Array.isArray(props) && props.length === 0)) {
    source.properties = props;
  }
  if (filters.filter_test_accounts === true) {
    source.filterTestAccounts = true;
  }
  if (filters.breakdown !== undefined && filters.breakdown !== null && kind !== "PathsQuery") {
    source.breakdownFilter = { breakdown: filters.breakdown, breakdown_type: filters.breakdown_type ?? "event" };
  }
  if (filters.compare === true && (kind === "TrendsQuery" || kind === "StickinessQuery")) {
    source.compareFilter = { compare: true };
  }
  const display = typeof filters.display === "string" ? { display: filters.display } : undefined;
  if (kind === "TrendsQuery" && (display || filters.formula)) {
    source.trendsFilter = { ...display, ...pick(filters, [["formula", "formula"]]) };
  } else if (kind === "StickinessQuery" && display) {
    source.stickinessFilter = display;
  } else if (kind === "FunnelsQuery") {
    const funnel = pick(filters, [
      ["funnel_viz_type", "funnelVizType"],
      ["funnel_order_type", "funnelOrderType"],
      ["funnel_window_interval", "funnelWindowInterval"],
      ["funnel_window_interval_unit", "funnelWindowIntervalUnit"],
      ["layout", "layout"],
    ]);
    if (funnel) {
      source.funnelsFilter = funnel;
    }
  } else if (kind === "RetentionQuery") {
    source.retentionFilter =
      pick(filters, [
        ["retention_type", "retentionType"],
        ["total_intervals", "totalIntervals"],
        ["period", "period"],
        ["target_entity", "targetEntity"],
        ["returning_entity", "returningEntity"],
      ]) ?? {};
  } else if (kind === "PathsQuery") {
    source.pathsFilter =
      pick(filters, [
        ["include_event_types", "includeEventTypes"],
        ["start_point", "startPoint"],
        ["end_point", "endPoint"],
        ["step_limit", "stepLimit"],
      ]) ?? {};
  }
  return { kind: "InsightVizNode", source, full: true };
}
