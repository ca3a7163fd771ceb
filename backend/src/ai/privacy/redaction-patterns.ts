/**
 * What counts as personal data or a secret in text bound for a provider. Each detector finds
 * spans; `findSensitiveSpans` resolves overlaps by priority (secrets first, then the student's
 * own identity, emails, phones), so a URL password is never also half an email.
 *
 * Deliberately kept (see docs/tutor.md, "Privacy before the provider"): UUIDs, IP addresses,
 * hex colours, version strings, git SHAs and plain numbers — a tutor needs them to read code and
 * they identify no one by themselves; `user@host` without a real top-level domain (shell prompts,
 * matrix products like `X@self.weights`); `git@github.com` remotes. Generic "random-looking"
 * strings are not guessed at: only known key formats and values assigned to secret-named keys.
 */

export const REDACTION_KINDS = ['name', 'email', 'phone', 'secret'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

export interface SensitiveSpan {
  start: number;
  end: number;
  kind: RedactionKind;
  /** Same key, same placeholder: emails compare case-insensitively, phones by their digits. */
  key: string;
  /** Set for the student's own name and email, which get fixed placeholders. */
  fixedLabel?: 'STUDENT_NAME' | 'STUDENT_EMAIL';
}

export interface StudentIdentity {
  /** Username and any name the student goes by. */
  names: string[];
  email: string;
}

/** Whole known key formats. */
const TOKEN_PATTERNS: RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /(?<![\w-])sk-ant-[A-Za-z0-9_-]{16,}/g,
  /(?<![\w-])sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}/g,
  /(?<![\w-])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /(?<![\w-])AIza[0-9A-Za-z_-]{30,}/g,
  /(?<![\w-])gh[pousr]_[A-Za-z0-9]{30,}/g,
  /(?<![\w-])github_pat_[A-Za-z0-9_]{30,}/g,
  /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}/g,
  /(?<![\w-])xox[abprs]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Z0-9])/g,
  /(?<![\w-])hf_[A-Za-z0-9]{30,}/g,
  // JWTs: base64url JSON header and payload (both start with `{"` → `eyJ`), then a signature.
  /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** Only the value (group `v`) is replaced, so the code around it still reads. */
const VALUE_PATTERNS: RegExp[] = [
  /\bBearer\s+(?<v>[A-Za-z0-9._~+/=-]{12,})/dg,
  // `password = "…"`, `"api_key": '…'`, `DB_PASSWORD: "…"`; the name must end in the secret word,
  // so `tokenizer = "bert"` or `password_hint = "…"` stay.
  /\b[A-Za-z0-9_]*?(?:password|passwd|pwd|secret|api_?key|apikey|access_?key|private_?key|token|client_?secret)["']?\s*(?::|=|:=)\s*(?<q>["'])(?<v>[^"'\n]{3,200})\k<q>/dgi,
  // .env lines: `OPENAI_API_KEY=abc…` (upper-case names only, as .env files are written).
  /^[ \t]*(?:export[ \t]+)?[A-Z0-9_]*(?:PASSWORD|SECRET|API_KEY|APIKEY|TOKEN|ACCESS_KEY)[ \t]*=[ \t]*(?<v>[^\s"'#]{6,})/dgm,
  // Credentials in a URL: postgres://user:secret@host
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:(?<v>[^\s@/]{3,})@/dgi,
];

/** Common TLDs, plus the reserved ones schools use in examples; two letters means a country. */
const TLDS = new Set(
  'com org net edu gov mil int info biz io ai dev app co me xyz online site tech email mail name pro school academy education cloud example test invalid localhost'.split(
    ' ',
  ),
);
const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9-]+\.)+(?<tld>[A-Za-z]{2,24})\b/dg;

/**
 * Phone numbers: international (+ or 00), North American, and national numbers with a trunk 0
 * and a separator. Never a bare run of digits: `12345` and `range(1000000)` are code.
 */
const PHONE_PATTERNS: RegExp[] = [
  /(?<![\w+.-])(?:\+|00)[1-9]\d{0,2}(?:[ .-]?\(0?\d{1,4}\))?(?:[ .-]?\d{1,5}){1,5}(?![\w.-]*\d)/g,
  /(?<![\w.-])\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}(?![\w.-]*\d)/g,
  /(?<![\w.-])\d{3}[.-]\d{3}[.-]\d{4}(?![\w.-]*\d)/g,
  /(?<![\w.\-/:])0\d{1,4}[ /-]\d{2,8}(?:[ -]\d{2,5}){0,4}(?![\w.\-/:]*\d)/g,
];
const PHONE_DIGITS = { min: 7, max: 15, compactInternationalMin: 10 };

/** Usernames that are also everyday code would blank out the student's program. */
const TOO_COMMON_TO_BE_A_NAME = new Set(
  'and array bool break class data def dict else error false file float for from global import input int len list none not num object print range return self set str string student sum test true tuple type user value while with admin'.split(
    ' ',
  ),
);

function* matchesOf(pattern: RegExp, text: string) {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === '') pattern.lastIndex += 1;
    yield match;
  }
}

function findSecrets(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const pattern of TOKEN_PATTERNS) {
    for (const match of matchesOf(pattern, text)) {
      spans.push(span(match.index, match.index + match[0].length, 'secret', match[0]));
    }
  }
  for (const pattern of VALUE_PATTERNS) {
    for (const match of matchesOf(pattern, text)) {
      const [start, end] = match.indices!.groups!.v!;
      const value = match.groups!.v!;
      if (isPlaceholderValue(value)) continue;
      spans.push(span(start, end, 'secret', value));
    }
  }
  return spans;
}

/** `"<your key here>"`, `"..."`, `"xxxx"` or a variable reference are examples, not secrets. */
function isPlaceholderValue(value: string): boolean {
  return /^[<{$]|^(.)\1*$|^\.\.\.|^(your|my)[_ -]|^changeme$|⟦/i.test(value);
}

/**
 * The students' own name and email patterns, compiled once each. Compiling one (a `u` pattern
 * with `\\p{…}` classes above all) costs far more than running it over a message, and V8 does not
 * keep compiled patterns for long: on a loaded backend compiling them again for every text was
 * most of redaction's time (bench/README.md, issue 13).
 * Safe to share: `matchesOf` resets `lastIndex` and runs each to the end without yielding.
 */
const identityPatterns = new Map<string, RegExp>();
const MAX_IDENTITY_PATTERNS = 2_000;

function identityPattern(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let pattern = identityPatterns.get(key);
  if (!pattern) {
    // The oldest goes first: students active now are the ones asking.
    if (identityPatterns.size >= MAX_IDENTITY_PATTERNS)
      identityPatterns.delete(identityPatterns.keys().next().value!);
    pattern = new RegExp(source, flags);
    identityPatterns.set(key, pattern);
  }
  return pattern;
}

function findIdentity(text: string, identity: StudentIdentity | undefined): SensitiveSpan[] {
  if (!identity) return [];
  const spans: SensitiveSpan[] = [];
  const email = identity.email.trim();
  if (email) {
    const pattern = identityPattern(`(?<![\\w.%+-])${escape(email)}(?![\\w-])`, 'gi');
    for (const match of matchesOf(pattern, text)) {
      spans.push({
        ...span(match.index, match.index + email.length, 'email', email),
        fixedLabel: 'STUDENT_EMAIL',
      });
    }
  }
  for (const name of identity.names) {
    const trimmed = name.trim();
    if (trimmed.length < 3 || TOO_COMMON_TO_BE_A_NAME.has(trimmed.toLowerCase())) continue;
    const pattern = identityPattern(
      `(?<![\\p{L}\\p{N}_])${escape(trimmed)}(?![\\p{L}\\p{N}_])`,
      'giu',
    );
    for (const match of matchesOf(pattern, text)) {
      spans.push({
        ...span(match.index, match.index + match[0].length, 'name', trimmed),
        fixedLabel: 'STUDENT_NAME',
      });
    }
  }
  return spans;
}

function findEmails(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const match of matchesOf(EMAIL, text)) {
    const tld = match.groups!.tld!.toLowerCase();
    if (tld.length !== 2 && !TLDS.has(tld)) continue;
    if (/^git@/i.test(match[0])) continue;
    spans.push(span(match.index, match.index + match[0].length, 'email', match[0]));
  }
  return spans;
}

function findPhones(text: string): SensitiveSpan[] {
  const spans: SensitiveSpan[] = [];
  for (const pattern of PHONE_PATTERNS) {
    for (const match of matchesOf(pattern, text)) {
      const raw = match[0].trimEnd();
      const digits = raw.replace(/^00/, '').replace(/\D/g, '');
      if (digits.length < PHONE_DIGITS.min || digits.length > PHONE_DIGITS.max) continue;
      // `+1234567` without any separator is as likely arithmetic as a number to call.
      if (/^\+\d+$/.test(raw) && digits.length < PHONE_DIGITS.compactInternationalMin) continue;
      spans.push(span(match.index, match.index + raw.length, 'phone', raw));
    }
  }
  return spans;
}

function span(start: number, end: number, kind: RedactionKind, value: string): SensitiveSpan {
  const key =
    kind === 'phone'
      ? value.replace(/^00/, '+').replace(/[^\d+]/g, '')
      : kind === 'email' || kind === 'name'
        ? value.toLowerCase()
        : value;
  return { start, end, kind, key };
}

function escape(text: string): string {
  // No `-`: in a `u` pattern an escaped `-` outside a class is a syntax error.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Every span to replace in `text`, in order, without overlaps. Earlier detectors win: a secret
 * over the student's identity over an email over a phone number.
 */
export function findSensitiveSpans(
  text: string,
  options: { kinds: ReadonlySet<RedactionKind>; identity?: StudentIdentity | undefined },
): SensitiveSpan[] {
  const { kinds } = options;
  const candidates = [
    ...(kinds.has('secret') ? findSecrets(text) : []),
    ...findIdentity(text, options.identity).filter((found) => kinds.has(found.kind)),
    ...(kinds.has('email') ? findEmails(text) : []),
    ...(kinds.has('phone') ? findPhones(text) : []),
  ];
  const accepted: SensitiveSpan[] = [];
  for (const candidate of candidates) {
    const overlaps = accepted.some(
      (taken) => candidate.start < taken.end && taken.start < candidate.end,
    );
    if (!overlaps) accepted.push(candidate);
  }
  return accepted.sort((a, b) => a.start - b.start);
}
