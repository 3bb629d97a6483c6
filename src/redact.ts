// Text that may reach an error message: the key blanked out, URLs cut to their path.
// A leaf: imports nothing, and builds no message beyond the "METHOD /path" they start with.

/** A function that blanks `secret` out of text that may reach a message or a log. */
export function redactor(secret: string): (text: string) => string {
  return (text) => text.split(secret).join("[redacted]");
}

/**
 * The path of a URL (`/api/projects/1/insights/`): no origin, no query; a bare path
 * stays a path. Without a regular expression: the pacer reads it on every request.
 */
export function pathOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = scheme < 0 ? 0 : url.indexOf("/", scheme + 3);
  if (start < 0) {
    return "/";
  }
  const query = url.indexOf("?", start);
  return url.slice(start, query < 0 ? undefined : query);
}

/** "METHOD /path" of a request, for messages. */
export function where(request: { method: string; url: string }): string {
  return `${request.method} ${pathOf(request.url)}`;
}
