/**
 * Secrets must never reach the screen, a log, a recording or --json output. Everything the
 * Snowflake engine says or writes goes through one of these first.
 */

export const REDACTED = '[redacted]';

/** Shapes that carry credentials whatever their value (session tokens, JWTs, key material). */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/(Snowflake Token=)"[^"]*"/gi, `$1"${REDACTED}"`],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/("?(?:password|passcode|token|masterToken|sessionToken|idToken|mfaToken|private_?key(?:_?(?:pass|pwd|passphrase|file_pwd))?|proof_?key|client_?secret)"?\s*[:=]\s*)(?!"?\[redacted\])("[^"]*"|'[^']*'|[^\s,&;}]+)/gi,
    `$1${REDACTED}`],
];

/** The shortest value we treat as a secret on its own; shorter ones only go through the patterns. */
const MIN_SECRET_LENGTH = 3;

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(secret);
    // Secrets also travel URL- and JSON-encoded (query strings, request bodies in driver logs).
    for (const encoded of [encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      if (encoded !== secret) this.secrets.add(encoded);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}

/** Values shorter than this are only removed where our own messages quote them ('jo'). */
const MIN_BARE_LENGTH = 3;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Connection details are the presenter's business: the screen and stderr may name them, but a
 * recording, a report or --json output may be shared. A scrubber replaces each value it was given
 * (account, user, host, file paths) wherever it stands on its own, whatever the case, with a
 * placeholder that says what was there.
 */
export class Scrubber {
  private readonly rules: [RegExp, string][] = [];

  constructor(values: readonly { value: string | undefined; as: string }[]) {
    // Longest first, so that a value containing another is replaced whole.
    const sorted = values
      .filter((v): v is { value: string; as: string } => !!v.value)
      .sort((a, b) => b.value.length - a.value.length);
    for (const { value, as } of sorted) {
      const text = escapeRegExp(value);
      this.rules.push([new RegExp(`'${text}'`, 'gi'), `'${as}'`]);
      // A value stands on its own when no name character touches it: "demo" is not in "demo-runbook".
      if (value.length >= MIN_BARE_LENGTH) this.rules.push([new RegExp(`(?<![\\w$.@-])${text}(?![\\w$@-])`, 'gi'), as]);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const [pattern, replacement] of this.rules) out = out.replace(pattern, replacement);
    return out;
  }
}
