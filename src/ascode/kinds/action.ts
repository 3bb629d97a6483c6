// Actions as one kind of object kept as code (`<key>.action.yaml`): name, description, tags and
// steps as PostHog stores them (every unset field and the `contains` default left out, so a
// step written by hand compares equal to PostHog's), the cohort ids in step properties as key
// references, and the remote calls on the resolved numeric project. A name is unique among a
// project's live actions: a file whose name a live action no file manages has is that action.
import type { Action, ActionCreate, ActionUpdate } from "../../object-types.js";
import { canonicalJson, contentHash, type Json } from "../canonical.js";
import type { ObjectKind } from "../kind.js";
import { type KeyMap, withIds, withKeys } from "../keymap.js";
import {
  differs,
  fieldChanges,
  idKey,
  isJsonObject,
  keyRefsIn,
  plainFields,
  unlessGone,
  plainUpdate,
  localRefsIn,
} from "./common.js";

/**
 * What an action file holds.
 *
 * @example
 * const file: ActionFile = { name: "Signed up", steps: [{ event: "user signed up" }] };
 */
export interface ActionFile {
  name?: string;
  description?: string;
  tags?: string[];
  steps?: Json[];
}

/** The fields of a step PostHog stores (`selector_regex` is computed, not stored). */
const STEP_FIELDS = [
  "event",
  "properties",
  "selector",
  "tag_name",
  "text",
  "text_matching",
  "href",
  "href_matching",
  "url",
  "url_matching",
] as const;

/** A step in canonical form: stored fields only, no nulls, no empty properties, no `contains` default. */
function canonicalStep(step: unknown): Json {
  const source = isJsonObject(step) ? step : {};
  const out: { [key: string]: Json } = {};
  for (const field of STEP_FIELDS) {
    const value = source[field];
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    // PostHog stores `url_matching: contains` when none is given.
    if (field === "url_matching" && value === "contains") {
      continue;
    }
    out[field] = value;
  }
  return canonicalJson(out);
}

function canonicalAction(source: { name?: unknown; description?: unknown; tags?: unknown; steps?: unknown }) {
  const file: ActionFile = plainFields(source);
  if (Array.isArray(source.steps) && source.steps.length > 0) {
    file.steps = source.steps.map(canonicalStep);
  }
  return file;
}

function normalize(file: ActionFile, keys: KeyMap): ActionFile {
  return file.steps === undefined ? file : { ...file, steps: withKeys("action_steps", file.steps, keys) as Json[] };
}

type Steps = NonNullable<ActionCreate["steps"]>;

function resolvedSteps(file: ActionFile, keys: KeyMap): Steps {
  return withIds("action_steps", file.steps ?? [], keys, "steps") as Steps;
}

/**
 * Actions: one unpaginated listing; the name identifies a live action.
 *
 * @example
 * const file = actionKind.toFile(await posthog.actions.retrieve(7), { keys });
 */
export const actionKind: ObjectKind<ActionFile, Action> = {
  name: "action",
  suffixes: [".action.yaml", ".action.yml"],
  schemaFile: "action-file.schema.json",
  documents: [{ field: "steps", container: "action_steps" }],
  uniqueNames: true,

  fromDocument: canonicalAction,
  document: (file) => canonicalJson(file),
  toFile: (action, view) => normalize(canonicalAction(action), view.keys),
  normalize,
  references: (file) => keyRefsIn("action_steps", file.steps, ["steps"]),
  localRefs: (file) => localRefsIn("action_steps", file.steps, "steps"),
  hash: (file) => contentHash(file),
  identity: (file) => file.name,
  createdHash: (file) => contentHash(file),
  changes: fieldChanges,
  keyFor: (action, taken) => idKey("action", action, taken),

  async list({ client, project }, progress) {
    progress.start("list", 1);
    progress.item("actions");
    const actions = await client.actions.list({}, { projectId: project });
    progress.done();
    progress.stop();
    return actions;
  },
  reread: ({ client, project }, id) => unlessGone(() => client.actions.retrieve(id, { projectId: project })),
  create({ client, project }, file, keys) {
    const body: ActionCreate = { ...plainFields(file), steps: resolvedSteps(file, keys) };
    return client.actions.create(body, { projectId: project });
  },
  update({ client, project }, current, file, { keys }) {
    const now = canonicalAction(current);
    const resolved: ActionFile = { ...file, steps: resolvedSteps(file, keys) as Json[] };
    const body: ActionUpdate = plainUpdate(resolved, now);
    if (differs({ steps: resolved.steps ?? [] }, { steps: now.steps ?? [] }, "steps")) {
      body.steps = resolved.steps as Steps;
    }
    return client.actions.update(current.id, body, { projectId: project });
  },
  async remove({ client, project }, current) {
    await client.actions.delete(current.id, { projectId: project });
  },
};
