/**
 * Names that reach the tracking store from users: artifact names, registered-model names, alias
 * names, metric/parameter/tag keys and experiment names. Each is checked before anything is
 * written, so a name can never address a file outside the store (`../`, absolute paths, encoded
 * separators such as `%2f`, backslashes, NUL and other control characters are refused).
 *
 * @module
 */

import { ValidationError } from '../core/errors.ts';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+=-]*$/;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Why `name` is not safe as a path-like name, or undefined when it is free of path tricks. */
function pathTrick(name: string): string | undefined {
  if (name.includes('\0')) return 'it contains a NUL character';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it contains a control character';
  if (name.includes('\\')) return 'it contains a backslash';
  if (/%/.test(name)) return "it contains '%' (percent-encoded characters such as %2f are not decoded)";
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'it is an absolute path';
  if (name.startsWith('~')) return "it starts with '~'";
  if (name.split('/').some((s) => s === '..')) return "it contains a '..' segment";
  return undefined;
}

/**
 * Checks an artifact name: 1–255 characters, `/`-separated segments of letters, digits and
 * `_ . - + =`, no empty, `.` or `..` segment, not absolute, no `%`, `\`, NUL or control
 * characters. Returns the name; throws a {@link ValidationError} that says what is wrong.
 */
export function checkArtifactName(name: unknown): string {
  const fix =
    "use a relative name made of letters, digits and '_ . - + =', with '/' between folders, e.g. 'model/manifest.json'";
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValidationError(`Artifact name must be a non-empty string; got ${JSON.stringify(name)}.`, {
      field: 'artifact name',
      fix,
    });
  }
  const trick = pathTrick(name);
  if (trick) {
    throw new ValidationError(`Artifact name ${JSON.stringify(name)} is refused: ${trick}.`, {
      field: 'artifact name',
      fix,
    });
  }
  if (name.length > 255) {
    throw new ValidationError(`Artifact name is ${name.length} characters long; the limit is 255.`, {
      field: 'artifact name',
      fix: 'use a shorter name',
    });
  }
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.' || !SEGMENT.test(seg)) {
      throw new ValidationError(
        `Artifact name ${JSON.stringify(name)} is refused: segment ${JSON.stringify(seg)} is ${seg === '' ? 'empty' : 'not allowed'}.`,
        { field: 'artifact name', fix },
      );
    }
  }
  return name;
}

/**
 * Checks a registered-model name: 1–100 characters, a letter or digit first, then letters,
 * digits and `_ . -`; never `..`, `/`, `@`, `%`, `\`, NUL or whitespace (so `name@alias` and
 * `name/version` references stay unambiguous). Returns the name.
 */
export function checkModelName(name: unknown): string {
  const fix = "use letters, digits and '_ . -', starting with a letter or digit, e.g. 'churn-model'";
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValidationError(`Model name must be a non-empty string; got ${JSON.stringify(name)}.`, {
      field: 'model name',
      fix,
    });
  }
  const trick = pathTrick(name);
  if (trick) {
    throw new ValidationError(`Model name ${JSON.stringify(name)} is refused: ${trick}.`, {
      field: 'model name',
      fix,
    });
  }
  if (name.length > 100 || !MODEL_NAME.test(name) || name.includes('..')) {
    throw new ValidationError(
      `Model name ${JSON.stringify(name)} is refused: ${name.length > 100 ? 'it is longer than 100 characters' : "only letters, digits and '_ . -' are allowed (no '/', '@', '..' or spaces)"}.`,
      { field: 'model name', fix },
    );
  }
  return name;
}

/**
 * Checks an alias name (`champion`, `challenger`, `staging`, …): a letter first, then letters,
 * digits and `_ . -`, at most 64 characters. Starting with a letter keeps aliases distinct from
 * version numbers. Returns the alias.
 */
export function checkAliasName(alias: unknown): string {
  if (typeof alias !== 'string' || !ALIAS_NAME.test(alias) || alias.length > 64) {
    throw new ValidationError(`Alias ${JSON.stringify(alias)} is not a valid alias name.`, {
      field: 'alias',
      fix: "start with a letter and use letters, digits and '_ . -' (at most 64 characters), e.g. 'champion'",
    });
  }
  return alias;
}

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why `text` cannot be stored as it is, or undefined: a NUL character (PostgreSQL text cannot
 * hold one, so the adapters would disagree) or an unpaired UTF-16 surrogate (not Unicode text:
 * both databases would store replacement characters instead).
 */
function unstorable(text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL character';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired surrogate (it is not valid Unicode text)';
  return undefined;
}

/**
 * Checks free text bound for the store — a run name, notes, a tag value, a dataset name, a
 * description — is storable by every adapter: a string of at most `max` characters without NUL
 * characters or unpaired surrogates (null and undefined pass: the field is unset). `what` starts the
 * message ("Run name", "Tag 'x'"). Returns the text.
 */
export function checkStoreText<T extends string | null | undefined>(text: T, what: string, max: number): T {
  if (text === null || text === undefined) return text;
  const why =
    typeof text !== 'string'
      ? `must be a string; got ${typeof text}`
      : text.length > max
        ? `is ${text.length} characters long; the limit is ${max}`
        : unstorable(text);
  if (why) {
    throw new ValidationError(`${what} ${why}.`, {
      field: what,
      fix: `pass ${Number.isFinite(max) ? `at most ${max} characters of ` : ''}text without NUL characters or unpaired surrogates`,
    });
  }
  return text;
}

/**
 * `text` made storable by every adapter, for text Lathe records on its own (a failure reason
 * taken from an error message): NUL becomes the six characters `\u0000` and an unpaired surrogate
 * becomes U+FFFD, so recording it can never fail.
 */
export function storableText(text: string): string {
  return text.replaceAll('\0', '\\u0000').replace(new RegExp(UNPAIRED_SURROGATE.source, 'g'), '\ufffd');
}

/**
 * Checks a metric, parameter or tag key: 1–250 characters, no control characters.
 * `what` names the kind of key in the message ("metric key", "parameter name", "tag key").
 */
export function checkTrackingKey(key: unknown, what: string): string {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > 250 ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects
    /[\u0000-\u001f\u007f]/.test(key) ||
    UNPAIRED_SURROGATE.test(key)
  ) {
    throw new ValidationError(`Bad ${what} ${JSON.stringify(key)}.`, {
      field: what,
      fix: `use a non-empty ${what} of at most 250 printable characters`,
    });
  }
  return key;
}

/** Checks an experiment name: 1–200 printable characters. */
export function checkExperimentName(name: unknown): string {
  const checked = checkTrackingKey(name, 'experiment name');
  if (checked.length > 200) {
    throw new ValidationError(`Experiment name is ${checked.length} characters long; the limit is 200.`, {
      field: 'experiment',
      fix: 'use a shorter name',
    });
  }
  return checked;
}
