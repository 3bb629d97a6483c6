// Short ids (`AaVQ8Ijw`, the id in an insight's URL) resolved to numeric ids with one list call,
// remembered per client so that a script repeating an id asks once.
import { NotFoundError } from "./errors.js";
import { checkedPage } from "./pagination.js";
import type { RequestCore, RequestOptions } from "./request.js";

// Enough for any job's working set; the oldest entry goes first past it.
const REMEMBERED = 1_000;

/** Resolves short ids within one client; concurrent lookups of the same id share one request. */
export class ShortIds {
  readonly #core: RequestCore;
  readonly #known = new Map<string, Promise<number>>();

  constructor(core: RequestCore) {
    this.#core = core;
  }

  /** The numeric id of `shortId` in the project; `NotFoundError` naming it when there is none. */
  resolve(projectId: string, shortId: string, options: RequestOptions | undefined): Promise<number> {
    const key = `${projectId}/${shortId}`;
    let id = this.#known.get(key);
    if (!id) {
      id = this.#lookUp(projectId, shortId, options);
      // A failed lookup is not remembered: the next call asks again.
      id.catch(() => this.#known.delete(key));
      this.#known.set(key, id);
      if (this.#known.size > REMEMBERED) {
        this.#known.delete(this.#known.keys().next().value as string);
      }
    }
    return id;
  }

  async #lookUp(projectId: string, shortId: string, options: RequestOptions | undefined): Promise<number> {
    const query = { short_id: shortId, basic: true, limit: 1 };
    let headers = new Headers();
    const page = await this.#core.run(options, async (init) => {
      const result = await this.#core.api.GET("/api/projects/{project_id}/insights/", {
        ...init,
        params: { path: { project_id: projectId }, query },
      });
      headers = result.response.headers;
      return result;
    });
    const found = checkedPage(page, `/api/projects/${projectId}/insights/`).results.find(
      (insight) => insight.short_id === shortId,
    );
    if (!found) {
      throw new NotFoundError(
        404,
        undefined,
        headers,
        `No insight has the short id "${shortId}" in project ${projectId}.`,
      );
    }
    return found.id;
  }
}
