// Handler of `GET /api/projects/{project_id}/`: the fake's one project, whose number is how a
// client learns what `@current` stands for. No state of its own.
import { type Answer, json } from "../answers.js";
import type { Context } from "../context.js";

/** The fake's project, as PostHog's project serializer answers it (the fields the spec names). */
export function retrieveProject(ctx: Context): Answer {
  const id = ctx.config.projectId;
  return json(200, {
    id,
    uuid: `0190f1a2-7b3c-7d4e-8f5a-${String(id).padStart(12, "0").slice(-12)}`,
    organization: "0190f1a2-1111-7222-8333-444455556666",
    name: "Default project",
    api_token: `phc_fake${id}`,
    timezone: "UTC",
  });
}
