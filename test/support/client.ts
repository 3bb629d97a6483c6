import { PostHogClient, type ClientOptions } from "../../src/index.js";

export const TEST_KEY = "phx_testKEY0123456789abcdefghijklmnopqrstuvwx";

/** A client aimed at a loopback server, with a known key and fast defaults. */
export function clientFor(origin: string, options: ClientOptions = {}): PostHogClient {
  return new PostHogClient({ apiKey: TEST_KEY, host: origin, projectId: 12345, timeoutMs: 5_000, ...options });
}
