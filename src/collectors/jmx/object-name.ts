/**
 * JMX ObjectNames as text: `domain:key=value,key="quoted, value"`. Jolokia names every MBean it
 * returns this way; the collectors need the key properties as plain strings (a quoted value
 * unquoted), and need to know before sending whether a query is a pattern (its reply is keyed
 * by ObjectName) and whether it is a name at all (one malformed name fails a whole bulk request).
 */

/** An ObjectName split into its domain and key properties (values unquoted). */
export interface ParsedObjectName {
  domain: string;
  /** Key properties; a pattern's trailing `*` is not one. */
  properties: Record<string, string>;
  /** True for a pattern: a wildcard in the domain or a value, or a trailing `,*`. */
  pattern: boolean;
}

/** Characters JMX forbids in an unquoted value (and in keys). */
const UNQUOTED_FORBIDDEN = /[,=:"\n]/;
/** Most key properties a name may have: MBean names have a handful, a hostile reply any number. */
const MAX_PROPERTIES = 64;

/**
 * Parses an ObjectName or ObjectName pattern; undefined when the text is not one. The result's
 * `properties` has no prototype, so a key like `__proto__` is just a key.
 */
export function parseObjectName(text: string): ParsedObjectName | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const domain = text.slice(0, colon);
  if (domain.includes('\n')) return undefined;
  let pattern = /[*?]/.test(domain);
  const properties: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  let i = colon + 1;
  if (i >= text.length) return undefined;
  while (i < text.length) {
    if (text[i] === '*' && (i + 1 === text.length || text[i + 1] === ',')) {
      pattern = true;
      i += 2;
      continue;
    }
    const equals = text.indexOf('=', i);
    if (equals < 0) return undefined;
    const key = text.slice(i, equals);
    if (key === '' || UNQUOTED_FORBIDDEN.test(key) || /[*?]/.test(key)) return undefined;
    if (key in properties || ++count > MAX_PROPERTIES) return undefined;
    const value =
      text[equals + 1] === '"' ? quotedValue(text, equals + 1) : plainValue(text, equals + 1);
    if (value === undefined) return undefined;
    if (value.wildcard) pattern = true;
    properties[key] = value.text;
    i = value.end;
    if (i < text.length) {
      if (text[i] !== ',' || i + 1 === text.length) return undefined;
      i++;
    }
  }
  return { domain, properties, pattern };
}

interface ValueEnd {
  text: string;
  /** Index just past the value. */
  end: number;
  wildcard: boolean;
}

function plainValue(text: string, start: number): ValueEnd | undefined {
  let end = text.indexOf(',', start);
  if (end < 0) end = text.length;
  const value = text.slice(start, end);
  if (value === '' || UNQUOTED_FORBIDDEN.test(value)) return undefined;
  return { text: value, end, wildcard: /[*?]/.test(value) };
}

/** A quoted value: `\"`, `\\`, `\n`, `\*` and `\?` are its only escapes. */
function quotedValue(text: string, start: number): ValueEnd | undefined {
  let value = '';
  let wildcard = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { text: value, end: i + 1, wildcard };
    if (c === '\n') return undefined;
    if (c === '*' || c === '?') wildcard = true;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const escaped = text[++i];
    if (escaped === 'n') value += '\n';
    else if (escaped === '"' || escaped === '\\' || escaped === '*' || escaped === '?') {
      value += escaped;
    } else return undefined;
  }
  return undefined;
}
