// Text that may reach an error message: the key blanked out, URLs cut to their path.
// A leaf: imports nothing, and builds no message beyond the "METHOD /path" they start with.

/** A function that blanks `secret` out of text that may reach a message or a log. */
export function redactor(secret: string): (text: string) => string {
  return (text) => text.split(secret).join("[redacted]");
}

/** The path of a URL, for messages: no origin, no query string. */
function pathOf(url: string): string {
  return /^https?:\/\/[^/]+(\/[^?#]*)/.exec(url)?.[1] ?? url;
}

/** "METHOD /path" of a request, for messages. */
export function where(request: { method: string; url: string }): string {
  return `${request.method} ${pathOf(request.url)}`;
}
