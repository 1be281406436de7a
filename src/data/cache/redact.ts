/**
 * Removal of credentials from text before it is stored or shown: provider error messages often echo the request
 * URL, and URLs and headers carry API keys.
 */

/** What replaces a removed secret. */
export const REDACTED = '[REDACTED]';

// Parameter names that hold a secret: apikey, api_key, apiKey, x-api-key, key, token, access_token, auth-token,
// secret, client_secret, password, passwd, sig, signature.
const SECRET_NAME = String.raw`[\w.-]*?(?:key|token|secret|passw(?:or)?d|sig(?:nature)?)`;

/** `name=value` in a query string, form body or free text (value ends at &, whitespace, quote, or a delimiter). */
const ASSIGNMENT = new RegExp(String.raw`(^|[^\w.-])(${SECRET_NAME})(\s*=\s*)([^&\s"'<>#;,)}\]]+)`, 'gi');

/** The same name percent-encoded inside another URL: `apikey%3DVALUE`. */
const ENCODED_ASSIGNMENT = new RegExp(String.raw`(^|[^\w.-])(${SECRET_NAME})(%3D)([^&\s"'<>#;,)}\]%]+)`, 'gi');

/** `"apikey": "value"` in JSON or a JavaScript object literal. */
const JSON_MEMBER = new RegExp(String.raw`(["']${SECRET_NAME}["']\s*:\s*["'])([^"']*)`, 'gi');

/** `Authorization: Token abc`, `authorization=Bearer abc`, `"Authorization": "Basic abc"`; the scheme is kept. */
const AUTHORIZATION = /(authorization["']?\s*[:=]\s*["']?)(?:(token|bearer|basic|digest|apikey)(\s+))?([^\s"',;}]+)/gi;

/** Header lines such as `X-Api-Key: abc`, and object-literal members such as `token: 'abc'`. */
const HEADER = new RegExp(String.raw`(^|[^\w.-])(${SECRET_NAME})(\s*:\s*["']?)([^\s"',;}]+)`, 'gi');

/** User information in a URL: `https://user:password@host`. */
const URL_USERINFO = /(\b[a-z][a-z\d+.-]*:\/\/)[^\s/?#@:]+:[^\s/?#@]+@/gi;

/**
 * Returns `text` with credentials replaced by `[REDACTED]`: values of parameters named like a secret (`apikey=`,
 * `api_key=`, `apiKey=`, `token=`, `access_token=`, `secret=`, `password=`, in query strings, percent-encoded, as JSON
 * members or as header lines), `Authorization` header values (`Authorization: Token KEY` keeps the word Token), and
 * `user:password@` in URLs. Every string in `secrets` (for example the configured API keys) is also replaced
 * wherever it occurs, which catches a key echoed in a form no pattern anticipates. Secrets shorter than 4 characters
 * are ignored, since replacing them would mangle ordinary text.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(AUTHORIZATION, (_m, prefix: string, scheme: string | undefined, space: string | undefined) =>
      scheme === undefined ? `${prefix}${REDACTED}` : `${prefix}${scheme}${space}${REDACTED}`,
    )
    .replace(JSON_MEMBER, `$1${REDACTED}`)
    .replace(ASSIGNMENT, `$1$2$3${REDACTED}`)
    .replace(ENCODED_ASSIGNMENT, `$1$2$3${REDACTED}`)
    .replace(HEADER, `$1$2$3${REDACTED}`);
}
