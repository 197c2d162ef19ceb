/**
 * The layering rule (DESIGN.md §1): machines/ and src/core/ (and the vocabulary in src/protocol/)
 * import no adapter, no gRPC, no generated protobuf module and no node:* module. Checked on the
 * real import graph: every relative import is followed, so an indirect dependency is caught too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]!).filter(Boolean);
}

/** Every module reachable from `file`, as [importer, specifier] pairs. */
function closure(file: string, seen = new Set<string>(), edges: [string, string][] = []): [string, string][] {
  if (seen.has(file)) return edges;
  seen.add(file);
  for (const spec of importsOf(file)) {
    edges.push([relative(root, file), spec]);
    if (spec.startsWith('.')) closure(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen, edges);
  }
  return edges;
}

const ALLOWED_PACKAGES = new Set(['xstate']);
const FORBIDDEN_LOCAL = [/\/wire\//, /\/adapters\//, /\/transport\//, /\/drive\//, /\/pair\//, /\/peer\//, /\/chaincode\//, /\/ledger\//, /\/identity\//, /generated/];

describe('architecture: the pure layers stay pure', () => {
  const roots = [...sources(join(root, 'machines')), ...sources(join(root, 'src/core')), ...sources(join(root, 'src/protocol'))];
  it('finds the files it checks', () => expect(roots.length).toBeGreaterThan(15));

  for (const file of roots) {
    it(relative(root, file), () => {
      const bad: string[] = [];
      for (const [from, spec] of closure(file)) {
        if (spec.startsWith('.')) {
          const target = relative(root, resolve(root, dirname(from), spec));
          // src/core/peer and src/core/chaincode are the cores themselves, not the runtimes.
          const inCore = target.startsWith('src/core/') || target.startsWith('src/protocol/') || target.startsWith('machines/');
          if (!inCore || FORBIDDEN_LOCAL.some((re) => re.test('/' + target) && !target.startsWith('src/core/'))) bad.push(`${from} -> ${spec}`);
        } else if (!ALLOWED_PACKAGES.has(spec)) {
          bad.push(`${from} -> ${spec}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
