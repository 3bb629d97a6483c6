// The actions kind: names unique among the project's live actions (PostHog's `unique` error),
// steps stored in PostHog's shape, an unpaginated `{results}` list, and references counted over
// the fake's insights and cohorts. A soft-deleted action still answers retrieve and update.
import { type Answer, invalid, json } from "../answers.js";
import type { Context } from "../context.js";
import { FAKE_USER, type Store, type StoredAction } from "../store.js";
import { booleanField, type Checked, charField, isObject, objectBody, tagsField } from "./fields.js";
import type { Kind } from "./kind.js";

const MATCHING = ["contains", "regex", "exact", null] as const;
// DRF trims these; `event`, `tag_name`, `text` and `href` keep their spaces (trim_whitespace=False).
const TRIMMED = new Set(["selector", "url"]);
const STEP_TEXT = ["event", "selector", "tag_name", "text", "href", "url"] as const;

/** One step in PostHog's stored shape: every field present, `url_matching` defaulting to `contains`. */
function step(raw: unknown, index: number): Checked<Record<string, unknown>> {
  const at = (field: string) => `steps__${index}__${field}`;
  if (!isObject(raw)) {
    return { error: invalid(`steps__${index}`, "invalid_input", "Invalid data. Expected a dictionary.") };
  }
  const out: Record<string, unknown> = {};
  for (const field of STEP_TEXT) {
    const value = raw[field] ?? null;
    const text = charField(at(field), value, { nullable: true });
    if ("error" in text) {
      return text;
    }
    out[field] = text.ok !== null && TRIMMED.has(field) ? text.ok.trim() : text.ok;
  }
  const properties = raw.properties ?? null;
  if (properties !== null && (!Array.isArray(properties) || !properties.every(isObject))) {
    return { error: invalid(at("properties"), "not_a_list", "Expected a list of dictionaries.") };
  }
  out.properties = properties;
  for (const field of ["text_matching", "href_matching", "url_matching"] as const) {
    const value = raw[field] ?? null;
    if (!MATCHING.includes(value as (typeof MATCHING)[number])) {
      return { error: invalid(at(field), "invalid_choice", `"${String(value)}" is not a valid choice.`) };
    }
    out[field] = value;
  }
  out.url_matching ??= "contains";
  return { ok: out };
}

interface ActionFields {
  name?: string | null;
  description?: string;
  tags?: string[];
  post_to_slack?: boolean;
  slack_message_format?: string;
  steps?: Record<string, unknown>[];
  deleted?: boolean;
  pinned?: boolean;
}

/** Checks an action body; read-only and unknown keys are ignored. */
function actionFields(store: Store, body: unknown, self: StoredAction | undefined): Checked<ActionFields> {
  const checked = objectBody(body);
  if ("error" in checked) {
    return checked;
  }
  const raw = checked.ok;
  const out: ActionFields = {};
  if ("name" in raw) {
    const name = charField("name", raw.name, { max: 400, nullable: true, blank: false });
    if ("error" in name) {
      return name;
    }
    out.name = name.ok === null ? null : name.ok.trim();
  }
  for (const field of ["description", "slack_message_format"] as const) {
    if (field in raw) {
      const text = charField(field, raw[field]);
      if ("error" in text) {
        return text;
      }
      out[field] = text.ok as string;
    }
  }
  for (const field of ["post_to_slack", "deleted"] as const) {
    if (field in raw) {
      const flag = booleanField(field, raw[field]);
      if ("error" in flag) {
        return flag;
      }
      out[field] = flag.ok;
    }
  }
  if ("tags" in raw) {
    const tags = tagsField("tags", raw.tags);
    if ("error" in tags) {
      return tags;
    }
    out.tags = tags.ok;
  }
  if ("steps" in raw) {
    if (!Array.isArray(raw.steps)) {
      return { error: invalid("steps", "not_a_list", `Expected a list of items but got type "${typeof raw.steps}".`) };
    }
    const steps: Record<string, unknown>[] = [];
    for (const [index, item] of raw.steps.entries()) {
      const checkedStep = step(item, index);
      if ("error" in checkedStep) {
        return checkedStep;
      }
      steps.push(checkedStep.ok);
    }
    out.steps = steps;
  }
  if ("pinned_at" in raw) {
    // Any value pins (with the server's time), null or "" unpins.
    out.pinned = raw.pinned_at !== null && raw.pinned_at !== "";
  }
  if (out.name) {
    const clash = store.actions.values().find((a) => !a.deleted && a.name === out.name && a.id !== self?.id);
    if (clash) {
      return {
        error: invalid("name", "unique", `This project already has an action with this name, ID ${clash.id}`),
      };
    }
  }
  return { ok: out };
}

/** A CSS selector as a pattern, for `selector_regex` (an approximation of PostHog's compiled form). */
function selectorRegex(selector: unknown): string | null {
  return typeof selector === "string" && selector !== "" ? selector.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : null;
}

function apply(action: StoredAction, fields: ActionFields, now: string): void {
  const { pinned, ...rest } = fields;
  Object.assign(action, rest);
  if (pinned === false) {
    action.pinned_at = null;
  } else if (pinned && action.pinned_at === null) {
    action.pinned_at = now;
  }
}

function serve(ctx: Context, action: StoredAction): Record<string, unknown> {
  return {
    id: action.id,
    name: action.name,
    description: action.description,
    tags: [...action.tags],
    post_to_slack: action.post_to_slack,
    slack_message_format: action.slack_message_format,
    steps: action.steps.map((s) => ({ ...structuredClone(s), selector_regex: selectorRegex(s.selector) })),
    created_at: action.created_at,
    created_by: { ...FAKE_USER },
    deleted: action.deleted,
    is_calculating: false,
    last_calculated_at: action.last_calculated_at,
    team_id: ctx.config.projectId,
    is_action: true,
    bytecode_error: null,
    pinned_at: action.pinned_at,
    creation_context: null,
    user_access_level: "manager",
  };
}

/** Whether a JSON value refers to the action, the ways PostHog's reference search looks for it. */
function refersTo(value: unknown, id: number): boolean {
  if (Array.isArray(value)) {
    return value.some((item) => refersTo(item, id));
  }
  if (!isObject(value)) {
    return false;
  }
  const is = (v: unknown) => v === id || v === String(id);
  if (
    (value.kind === "ActionsNode" && is(value.id)) ||
    is(value.actionId) ||
    (value.type === "actions" && is(value.id)) ||
    (value.event_type === "actions" && is(value.key)) ||
    (value.seq_event_type === "actions" && is(value.seq_event))
  ) {
    return true;
  }
  return Object.values(value).some((item) => refersTo(item, id));
}

/** How many live insights and cohorts use the action (PostHog also counts experiments and functions, which the fake has not). */
function referenceCount(store: Store, id: number): number {
  const insights = [...store.insights.values()].filter((i) => !i.deleted && refersTo([i.query, i.filters], id));
  const cohorts = store.cohorts.values().filter((c) => !c.deleted && refersTo(c.filters, id));
  return insights.length + cohorts.length;
}

function createAction(ctx: Context): Answer {
  const fields = actionFields(ctx.store, ctx.body, undefined);
  if ("error" in fields) {
    return fields.error;
  }
  const now = ctx.stamp;
  const action = ctx.store.actions.add({
    id: ctx.store.actions.nextId(),
    name: null,
    description: "",
    tags: [],
    post_to_slack: false,
    slack_message_format: "",
    steps: [],
    deleted: false,
    pinned_at: null,
    created_at: now,
    last_calculated_at: now,
  });
  apply(action, fields.ok, now);
  return json(201, serve(ctx, action));
}

function updateAction(ctx: Context, action: StoredAction): Answer {
  const fields = actionFields(ctx.store, ctx.body, action);
  if ("error" in fields) {
    return fields.error;
  }
  apply(action, fields.ok, ctx.stamp);
  return json(200, serve(ctx, action));
}

/** Actions: one unpaginated list, most recently calculated first, then by name. */
export const actionsKind: Kind<StoredAction> = {
  segment: "actions",
  scope: "action",
  objects: (store) => store.actions,
  list: "all",
  deletedReachable: true,
  listing: (ctx) => ({
    keep: () => true,
    order: (a, b) =>
      b.last_calculated_at.localeCompare(a.last_calculated_at) || (a.name ?? "").localeCompare(b.name ?? ""),
    // Any non-empty value asks for the counts, "0" and "false" included.
    ...((ctx.url.searchParams.get("include_reference_count") ?? "") !== ""
      ? { decorate: (item, action) => ({ ...item, reference_count: referenceCount(ctx.store, action.id) }) }
      : {}),
  }),
  create: createAction,
  update: updateAction,
  serve: (ctx, action) => serve(ctx, action),
};
