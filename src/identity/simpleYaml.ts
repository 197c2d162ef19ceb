/**
 * The small block-style YAML subset that MSP config.yaml files use (written by cryptogen's msp.go
 * exportConfig through Go's yaml package, by fabric-ca-client, or by hand as in the test network's
 * registerEnroll.sh): nested mappings, block sequences ("- item", "- key: value"), plain, 'single' and
 * "double" quoted scalars, comments and document markers. Anything else (anchors, aliases, block scalars,
 * non-empty flow collections, tabs for indentation) is rejected with an error, never misread.
 * Scalars stay strings (booleans are interpreted by the reader); empty values, "~" and "null" are null.
 */
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly no: number;
}

/** Drops a comment: "#" at the start or after whitespace, outside quotes. */
function stripComment(s: string): string {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) {
      return s.slice(0, i);
    }
  }
  return s;
}

function lex(text: string): Line[] {
  const out: Line[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const body = stripComment(raw).trimEnd();
      if (body.trim() === '' || body === '---' || body === '...') return;
      const indent = body.length - body.trimStart().length;
      if (/^ *\t/.test(body)) throw new Error(`YAML line ${i + 1}: tabs are not allowed for indentation`);
      out.push({ indent, text: body.trimStart(), no: i + 1 });
    });
  return out;
}

function scalar(raw: string, no: number): YamlValue {
  const s = raw.trim();
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(s)) throw new Error(`YAML line ${no}: unterminated quoted string`);
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      throw new Error(`YAML line ${no}: unsupported double-quoted string ${s}`);
    }
  }
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (/^[&*!|>[{@`%]/.test(s)) throw new Error(`YAML line ${no}: unsupported YAML construct "${s}"`);
  return s;
}

/** Splits "key: value" / "key:" (quoted keys allowed); undefined when the text is no mapping entry. */
function entry(text: string): { key: string; rest: string } | undefined {
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^'"#:][^:]*?|[^'"#:]?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const raw = m[1].trim();
  const key = raw.startsWith("'") || raw.startsWith('"') ? scalar(raw, 0) : raw;
  return { key: typeof key === 'string' ? key : '', rest: m[2] ?? '' };
}

class Parser {
  #i = 0;
  constructor(private readonly lines: Line[]) {}

  parse(): YamlValue {
    if (this.lines.length === 0) return null;
    const first = this.lines[0] as Line;
    const value = this.#block(first.indent);
    const extra = this.lines[this.#i];
    if (extra) throw new Error(`YAML line ${extra.no}: unexpected indentation`);
    return value;
  }

  #block(indent: number): YamlValue {
    const line = this.lines[this.#i] as Line;
    if (line.text === '-' || line.text.startsWith('- ')) return this.#sequence(indent);
    if (entry(line.text)) return this.#mapping(indent);
    this.#i++;
    return scalar(line.text, line.no);
  }

  /** The value after "key:" or "-" with nothing on the line: a nested block, or null. */
  #nested(parentIndent: number, allowSameIndentSequence: boolean): YamlValue {
    const next = this.lines[this.#i];
    if (next && next.indent > parentIndent) return this.#block(next.indent);
    if (next && allowSameIndentSequence && next.indent === parentIndent && (next.text === '-' || next.text.startsWith('- '))) {
      return this.#sequence(parentIndent);
    }
    return null;
  }

  #mapping(indent: number): YamlValue {
    const out: Record<string, YamlValue> = {};
    for (let line = this.lines[this.#i]; line && line.indent === indent; line = this.lines[this.#i]) {
      if (line.text === '-' || line.text.startsWith('- ')) break;
      const e = entry(line.text);
      if (!e) throw new Error(`YAML line ${line.no}: expected "key: value"`);
      if (Object.hasOwn(out, e.key)) throw new Error(`YAML line ${line.no}: duplicate key "${e.key}"`);
      this.#i++;
      const value = e.rest === '' ? this.#nested(indent, true) : scalar(e.rest, line.no);
      Object.defineProperty(out, e.key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  #sequence(indent: number): YamlValue {
    const out: YamlValue[] = [];
    for (let line = this.lines[this.#i]; line && line.indent === indent; line = this.lines[this.#i]) {
      if (line.text !== '-' && !line.text.startsWith('- ')) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.#i++;
        out.push(this.#nested(indent, false));
      } else {
        // "- key: value" opens a mapping whose entries sit at the column of "key".
        const column = indent + (line.text.length - rest.length);
        (this.lines as Line[])[this.#i] = { indent: column, text: rest, no: line.no };
        out.push(this.#block(column));
      }
    }
    return out;
  }
}

export function parseSimpleYaml(text: string): YamlValue {
  return new Parser(lex(text)).parse();
}

/** Go yaml's boolean spellings (yaml.v2 accepts the YAML 1.1 forms). */
export function yamlBool(v: YamlValue | undefined): boolean {
  return typeof v === 'string' && /^(true|yes|on|y)$/i.test(v);
}
