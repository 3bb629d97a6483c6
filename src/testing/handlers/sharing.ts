// Handlers of an insight's sharing configuration: read, update, and token rotation. The
// configuration is an unsaved default (created_at null) until first saved.
import { type Answer, json, notFound } from "../answers.js";
import type { Context } from "../context.js";
import type { StoredInsight, StoredSharing } from "../store.js";
import { sharingFields } from "../validate.js";

function target(ctx: Context): StoredInsight | undefined {
  const key = ctx.params.insight_id ?? "";
  const insight = /^\d+$/.test(key) ? ctx.store.insights.get(Number(key)) : undefined;
  return insight && !insight.deleted ? insight : undefined;
}

function config(ctx: Context, insight: StoredInsight): StoredSharing {
  let sharing = ctx.store.sharing.get(insight.id);
  if (!sharing) {
    sharing = {
      created_at: null,
      enabled: false,
      access_token: ctx.store.nextToken(),
      settings: null,
      password_required: false,
    };
    ctx.store.sharing.set(insight.id, sharing);
  }
  return sharing;
}

const serve = (sharing: StoredSharing): Answer => json(200, { ...structuredClone(sharing), share_passwords: [] });

/** GET /insights/{insight_id}/sharing/. */
export function retrieveSharing(ctx: Context): Answer {
  const insight = target(ctx);
  return insight ? serve(config(ctx, insight)) : notFound();
}

/** PATCH /insights/{insight_id}/sharing/: saves the configuration; the token is kept. */
export function updateSharing(ctx: Context): Answer {
  const insight = target(ctx);
  if (!insight) {
    return notFound();
  }
  const fields = sharingFields(ctx.body ?? {});
  if ("error" in fields) {
    return fields.error;
  }
  const sharing = config(ctx, insight);
  const wasEnabled = sharing.enabled;
  Object.assign(sharing, fields.ok);
  sharing.created_at ??= ctx.now.toISOString();
  if (sharing.enabled !== wasEnabled) {
    ctx.store.log(insight, sharing.enabled ? "sharing enabled" : "sharing disabled", null, ctx.now.toISOString());
  }
  return serve(sharing);
}

/** POST /insights/{insight_id}/sharing/refresh/: a new access token, 200. */
export function refreshSharing(ctx: Context): Answer {
  const insight = target(ctx);
  if (!insight) {
    return notFound();
  }
  const sharing = config(ctx, insight);
  sharing.access_token = ctx.store.nextToken();
  sharing.created_at ??= ctx.now.toISOString();
  ctx.store.log(insight, "access token refreshed", null, ctx.now.toISOString());
  return serve(sharing);
}
