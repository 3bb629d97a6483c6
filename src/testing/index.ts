// Entry `posthog-insights/testing`: the fake PostHog for tests. The library entry must
// never import this directory.
export { createFakePostHog, FakePostHog } from "./fake.js";
export type { FakeFailure, FakeIntercept, FakeRequest } from "./fake.js";
export type { FakePostHogOptions, RateLimitOption, RateWindow } from "./options.js";
export type { Scope } from "./scopes.js";
export type { Listening } from "./server.js";
