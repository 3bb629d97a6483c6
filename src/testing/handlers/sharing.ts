// Handlers of an insight's sharing configuration: read, update, and token rotation. A never-saved
// configuration is not stored: each read answers an unsaved default (created_at null). Turning
// sharing on issues a new token, turning it off revokes every token, and a refreshed token keeps
// working 5 minutes (posthog/api/sharing.py, posthog/api/test/test_sharing.py).
import { type Answer, json, notFound } from "../answers.js";
import type { Context } from "../context.js";
import type { StoredInsight, StoredSharing } from "../store.js";
import { sharingFields } from "../validate.js";

// SHARING_TOKEN_GRACE_PERIOD_SECONDS: how long a refreshed token still opens the insight.
const GRACE_MS = 5 * 60_000;

function target(ctx: Context): StoredInsight | undefined {
  const key = ctx.params.insight_id ?? "";
  const insight = /^\d+$/.test(key) ? ctx.store.insights.get(Number(key)) : undefined;
  return insight && !insight.deleted ? insight : undefined;
}

/** The saved configuration, or an unsaved default (not stored). */
function config(ctx: Context, insight: StoredInsight): StoredSharing {
  return (
    ctx.store.sharing.get(insight.id) ?? {
      created_at: null,
      enabled: false,
      access_token: ctx.store.nextToken(),
      settings: null,
      password_required: false,
      retired: [],
    }
  );
}

function serve(ctx: Context, sharing: StoredSharing): Answer {
  const { retired: _retired, ...shown } = structuredClone(sharing);
  const access = ctx.config.api === "current" ? { user_access_level: "editor" } : {};
  return json(200, { ...shown, share_passwords: [], ...access });
}

const noInsight = () => notFound("Insight not found.");

/** GET /insights/{insight_id}/sharing/. */
export function retrieveSharing(ctx: Context): Answer {
  const insight = target(ctx);
  return insight ? serve(ctx, config(ctx, insight)) : noInsight();
}

/** PATCH /insights/{insight_id}/sharing/: saves the configuration and logs it on the insight. */
export function updateSharing(ctx: Context): Answer {
  const insight = target(ctx);
  if (!insight) {
    return noInsight();
  }
  const fields = sharingFields(ctx.body ?? {});
  if ("error" in fields) {
    return fields.error;
  }
  const sharing = config(ctx, insight);
  const wasEnabled = sharing.enabled;
  Object.assign(sharing, fields.ok);
  if (sharing.enabled && !wasEnabled) {
    // A link shared before sharing was turned off must stay dead: a new token.
    sharing.access_token = ctx.store.nextToken();
  }
  if (!sharing.enabled) {
    sharing.retired = [];
  }
  sharing.created_at ??= ctx.stamp;
  ctx.store.sharing.set(insight.id, sharing);
  const change = { type: "Insight" as const, action: "changed" as const, field: "sharing", before: null };
  ctx.store.log(
    insight,
    `sharing ${sharing.enabled ? "enabled" : "disabled"}`,
    [{ ...change, after: sharing.enabled }],
    ctx.stamp,
  );
  if (sharing.enabled) {
    // Enabling renders the insight's preview image (an exported asset), which PostHog logs too.
    const exported = { type: "Insight" as const, action: "exported" as const, field: "export_format", before: null };
    ctx.store.log(insight, "exported for opengraph image", [{ ...exported, after: "image/png" }], ctx.stamp);
  }
  return serve(ctx, sharing);
}

/** POST /insights/{insight_id}/sharing/refresh/: a new access token, 200; the old one lasts 5 minutes. */
export function refreshSharing(ctx: Context): Answer {
  const insight = target(ctx);
  if (!insight) {
    return noInsight();
  }
  const sharing = config(ctx, insight);
  const now = ctx.now.getTime();
  sharing.retired = [
    ...sharing.retired.filter((r) => r.until > now),
    { token: sharing.access_token, until: now + GRACE_MS },
  ];
  sharing.access_token = ctx.store.nextToken();
  sharing.created_at ??= ctx.stamp;
  ctx.store.sharing.set(insight.id, sharing);
  ctx.store.log(insight, "access token refreshed", null, ctx.stamp);
  return serve(ctx, sharing);
}
