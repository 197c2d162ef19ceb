import { describe, expect, it } from 'vitest';
import { parseSimpleYaml, yamlBool } from '../../src/identity/simpleYaml.js';

describe('parseSimpleYaml (the config.yaml subset)', () => {
  it('reads nested mappings, sequences of mappings and of scalars, quotes and comments', () => {
    const text = [
      '---',
      '# comment',
      'OrganizationalUnitIdentifiers:',
      '  - Certificate: "cacerts/ca.pem"',
      "    OrganizationalUnitIdentifier: 'it''s'   # trailing comment",
      '  -   Certificate: cacerts/other.pem',
      '      OrganizationalUnitIdentifier: x#not-a-comment',
      'List:',
      '- a',
      '- "b: c"',
      '-',
      '  - nested',
      'NodeOUs:',
      '  Enable: yes',
      '  Empty:',
      '  Url: http://example.com:8080/x',
      '  Flow: []',
      'Null: ~',
    ].join('\r\n');
    expect(parseSimpleYaml(text)).toEqual({
      OrganizationalUnitIdentifiers: [
        { Certificate: 'cacerts/ca.pem', OrganizationalUnitIdentifier: "it's" },
        { Certificate: 'cacerts/other.pem', OrganizationalUnitIdentifier: 'x#not-a-comment' },
      ],
      List: ['a', 'b: c', ['nested']],
      NodeOUs: { Enable: 'yes', Empty: null, Url: 'http://example.com:8080/x', Flow: [] },
      Null: null,
    });
    expect(parseSimpleYaml('')).toBeNull();
    expect(parseSimpleYaml('__proto__: x')).toEqual(JSON.parse('{"__proto__":"x"}'));
  });

  it('interprets Go yaml booleans', () => {
    for (const t of ['true', 'True', 'yes', 'on', 'y']) expect(yamlBool(t)).toBe(true);
    for (const f of ['false', 'no', 'off', '', null, undefined, []]) expect(yamlBool(f as never)).toBe(false);
  });

  it('refuses what it does not understand instead of misreading it', () => {
    expect(() => parseSimpleYaml('a:\n\tb: c')).toThrow(/tabs/);
    expect(() => parseSimpleYaml('a: &x 1')).toThrow(/unsupported/);
    expect(() => parseSimpleYaml('a: *x')).toThrow(/unsupported/);
    expect(() => parseSimpleYaml('a: |\n  text')).toThrow(/unsupported/);
    expect(() => parseSimpleYaml('a: [1, 2]')).toThrow(/unsupported/);
    expect(() => parseSimpleYaml('a: 1\na: 2')).toThrow(/duplicate key/);
    expect(() => parseSimpleYaml('a:\n    b: 1\n  c: 2')).toThrow(/indentation/);
    expect(() => parseSimpleYaml("a: 'open")).toThrow(/unterminated/);
  });
});
