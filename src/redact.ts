// Text that may reach an error message: the key blanked out, URLs cut to their path.
// A leaf: imports nothing, and never builds a message itself.

/** A function that blanks `secret` out of text that may reach a message or a log. */
export function redactor(secret: string): (text: string) => string {
  return (text) => text.split(secret).join("[redacted]");
}

/** The path of a URL, for messages: no origin, no query string. */
export function pathOf(url = ""): string {
  return /^https?:\/\/[^/]+(\/[^?#]*)/.exec(url)?.[1] ?? url;
}
