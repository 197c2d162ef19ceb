/**
 * The layering of docs/architecture.md ("Layers"), checked on the real import graph of src/ and
 * machines/.
 *
 * Every way a module can load another is found: `import … from`, `import type`, side-effect
 * `import 'x'`, `export … from`, dynamic `import('x')` (any quoting, also in type positions),
 * `require('x')` and the require functions made by `createRequire`. Each import is mapped to the
 * layer (folder) or the package it reaches, and each layer may reach only what its rule in RULES
 * allows. The rules were derived from the graph as it is and from the layer table; a new folder
 * under src/ fails until it gets a rule. On top, the pure layers are followed transitively, as this
 * test always did.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

// ---- finding imports in source text ----------------------------------------------------------
//
// A tokenizer, not regular expressions over the text: a regex also finds "imports" inside comments
// and strings (src/peer/proposalSigner.ts holds a worker's source with `require('node:crypto')` in
// a template literal: that is no dependency of the peer) and misses forms split over lines. The
// tokenizer drops comments, keeps each string literal as one token, and knows enough of template
// literals and regex literals not to be fooled by the quotes inside them.

type ImportKind = 'static' | 'side-effect' | 're-export' | 'dynamic' | 'require';

interface FoundImport {
  kind: ImportKind;
  /** The module specifier; undefined when it is not one string literal (`import(name)`). */
  spec: string | undefined;
  line: number;
  /** `import type …` / `export type … from`: erased at compile time. */
  typeOnly?: boolean;
}

type Tok =
  | { t: 'id'; v: string; line: number }
  | { t: 'str'; v: string; line: number }
  | { t: 'p'; v: string; line: number }
  /** Any other value: a number, a regex literal, a template literal with substitutions. */
  | { t: 'v'; line: number };

const ID_START = /[A-Za-z_$\u0080-\uffff]/;
const ID_PART = /[\w$\u0080-\uffff]/;
/** After these a `/` starts a regex literal, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let i = 0;
  let line = 1;
  const to = (end: number): void => {
    for (; i < end; i++) if (src[i] === '\n') line++;
  };
  if (src.startsWith('#!')) to(src.includes('\n') ? src.indexOf('\n') : n);
  /** Open `${` substitutions, each with its depth of nested braces. */
  const substitutions: number[] = [];
  /** Scans a template literal from after its backtick, or from after the `}` ending a substitution. */
  const template = (continued: boolean): void => {
    const start = line;
    let v = '';
    while (i < n) {
      const c = src[i]!;
      if (c === '\\') {
        v += src[i + 1] ?? '';
        to(i + 2);
      } else if (c === '`') {
        to(i + 1);
        if (!continued) toks.push({ t: 'str', v, line: start }); // no substitution: a plain string
        return;
      } else if (c === '$' && src[i + 1] === '{') {
        to(i + 2);
        substitutions.push(0);
        if (!continued) toks.push({ t: 'v', line: start });
        return;
      } else {
        v += c;
        to(i + 1);
      }
    }
  };
  while (i < n) {
    const c = src[i]!;
    const prev = toks[toks.length - 1];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      to(i + 1);
    } else if (c === '/' && src[i + 1] === '/') {
      to(src.includes('\n', i) ? src.indexOf('\n', i) : n);
    } else if (c === '/' && src[i + 1] === '*') {
      to(src.includes('*/', i + 2) ? src.indexOf('*/', i + 2) + 2 : n);
    } else if (c === "'" || c === '"') {
      const start = line;
      let v = '';
      let j = i + 1;
      for (; j < n && src[j] !== c && src[j] !== '\n'; j++) {
        if (src[j] === '\\') j++;
        v += src[j] ?? '';
      }
      to(j + 1);
      toks.push({ t: 'str', v, line: start });
    } else if (c === '`') {
      to(i + 1);
      template(false);
    } else if (c === '}' && substitutions.length > 0 && substitutions[substitutions.length - 1] === 0) {
      substitutions.pop();
      to(i + 1);
      template(true);
    } else if (
      c === '/' &&
      (prev === undefined || (prev.t === 'p' && prev.v !== ')' && prev.v !== ']') || (prev.t === 'id' && BEFORE_REGEX.has(prev.v)))
    ) {
      let j = i + 1;
      for (let inClass = false; j < n && src[j] !== '\n' && (src[j] !== '/' || inClass); j++) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') inClass = true;
        else if (src[j] === ']') inClass = false;
      }
      for (j++; j < n && ID_PART.test(src[j]!); j++);
      toks.push({ t: 'v', line });
      to(j);
    } else if (ID_START.test(c)) {
      let j = i + 1;
      while (j < n && ID_PART.test(src[j]!)) j++;
      toks.push({ t: 'id', v: src.slice(i, j), line });
      to(j);
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[\w.]/.test(src[j]!)) j++;
      toks.push({ t: 'v', line });
      to(j);
    } else {
      if (substitutions.length > 0 && (c === '{' || c === '}')) substitutions[substitutions.length - 1]! += c === '{' ? 1 : -1;
      toks.push({ t: 'p', v: c, line });
      to(i + 1);
    }
  }
  return toks;
}

/** The specifier of the `… from 'x'` that ends the import/export clause starting at token k, if any. */
function fromClause(toks: readonly Tok[], k: number): string | undefined {
  for (let j = k; j < toks.length; j++) {
    const x = toks[j]!;
    if (x.t === 'id') {
      const next = toks[j + 1];
      if (x.v === 'from' && next?.t === 'str') return next.v;
      if (x.v === 'import' || x.v === 'export') return undefined; // already the next statement
    } else if (!(x.t === 'p' && '{},*'.includes(x.v))) {
      return undefined; // not a clause of names (`export const x = …`, `import x = require(…)`)
    }
  }
  return undefined;
}

/** Every module load in a source text, in order. Pure: the self-tests below run it on strings. */
function findImports(src: string): FoundImport[] {
  const toks = tokenize(src);
  const found: FoundImport[] = [];
  const id = (k: number): string | undefined => {
    const x = toks[k];
    return x?.t === 'id' ? x.v : undefined;
  };
  const punct = (k: number, v: string): boolean => {
    const x = toks[k];
    return x?.t === 'p' && x.v === v;
  };
  /** The argument of the call whose `(` is token k, when it is one string literal. */
  const literalArg = (k: number): string | undefined => {
    const x = toks[k + 1];
    return x?.t === 'str' && (punct(k + 2, ')') || punct(k + 2, ',')) ? x.v : undefined;
  };
  // `const load = createRequire(import.meta.url)` makes `load('x')` a require.
  const requireNames = new Set(['require']);
  toks.forEach((x, k) => {
    const name = id(k - 2);
    if (x.t === 'id' && x.v === 'createRequire' && punct(k - 1, '=') && name !== undefined) requireNames.add(name);
  });
  for (let k = 0; k < toks.length; k++) {
    const x = toks[k]!;
    if (x.t !== 'id' || punct(k - 1, '.')) continue; // `a.import(…)`, `module.require(…)`: methods
    const { line } = x;
    const typeOnly = id(k + 1) === 'type' && id(k + 2) !== 'from' && !punct(k + 2, ',');
    const next = toks[k + 1];
    if (x.v === 'import') {
      if (punct(k + 1, '(')) found.push({ kind: 'dynamic', spec: literalArg(k + 1), line });
      else if (next?.t === 'str') found.push({ kind: 'side-effect', spec: next.v, line });
      else if (!punct(k + 1, '.')) {
        // (`import.meta` aside) a static import; `import x = require('y')` is found as the require
        const spec = fromClause(toks, k + 1);
        if (spec !== undefined) found.push({ kind: 'static', spec, line, typeOnly });
      }
    } else if (x.v === 'export') {
      const spec = fromClause(toks, k + 1);
      if (spec !== undefined) found.push({ kind: 're-export', spec, line, typeOnly });
    } else if (requireNames.has(x.v) && punct(k + 1, '(')) {
      found.push({ kind: 'require', spec: literalArg(k + 1), line });
    } else if (x.v === 'createRequire' && punct(k + 1, '(')) {
      // createRequire(import.meta.url)('x'): a call right after the factory's own call
      let j = k + 1;
      for (let depth = 0; j < toks.length; j++) {
        if (punct(j, '(')) depth++;
        else if (punct(j, ')') && --depth === 0) break;
      }
      if (punct(j + 1, '(')) found.push({ kind: 'require', spec: literalArg(j + 1), line });
    }
  }
  return found;
}

// ---- layers and their rules -------------------------------------------------------------------

type Layer =
  | 'machines'
  | 'src/protocol'
  | 'src/core'
  | 'src/verify'
  | 'src/observe'
  | 'src/trace'
  | 'src/proxy'
  | 'src/conform'
  | 'src/fuzz'
  | 'src/wire'
  | 'src/drive'
  | 'src/transport'
  | 'src/ledger'
  | 'src/identity'
  | 'src/pair'
  | 'src/policy'
  | 'src/orderer'
  | 'src/committer'
  | 'src/peer'
  | 'src/gateway'
  | 'src/chaincode'
  | 'src/cli'
  | 'src/index.ts';

/** Any Node.js built-in module (`node:fs`, `fs`). */
const NODE = 'node builtins';

interface Rule {
  /** Other layers this one may import (its own files always may). */
  layers: Layer[];
  /** Packages it may import; NODE stands for every Node.js built-in. */
  packages: string[];
  /** Packages it may name in `import type` only: the types, never the code. */
  typesOf?: string[];
  why: string;
}

const RULES: Record<Layer, Rule> = {
  'src/protocol': {
    layers: [],
    packages: [],
    why: 'the vocabulary (messages, table, inputs, effects, violations, timers) rests on nothing',
  },
  machines: {
    layers: ['src/protocol'],
    packages: ['xstate'],
    why: 'the charts know the vocabulary and XState, no I/O, no protobuf, no core',
  },
  'src/verify': { layers: ['src/protocol', 'src/core'], packages: [NODE], why: 'the model checker steps both cores directly; only its CLI writes a file' },
  'src/observe': {
    layers: ['src/protocol', 'src/core'],
    packages: [],
    why: 'the observers follow a session with both cores, from outside: pure, like the cores',
  },
  'src/trace': {
    layers: ['src/protocol', 'src/observe', 'src/wire'],
    packages: [],
    why: 'traces decode frames, observe them and read and write JSON Lines; the caller owns files and sockets',
  },
  'src/proxy': {
    layers: ['src/protocol', 'src/observe', 'src/trace', 'src/transport'],
    packages: [],
    why: 'the recording proxy joins two transports and a trace recorder; no drive loop, no runtime',
  },
  'src/conform': {
    layers: ['src/protocol', 'src/observe', 'src/trace', 'src/transport', 'src/wire'],
    packages: [NODE],
    why: 'the conformance suites play one side frame by frame against an external implementation (a child process or a peer address)',
  },
  'src/fuzz': {
    layers: ['src/protocol', 'src/conform', 'src/trace', 'src/transport', 'src/wire'],
    packages: ['fast-check'],
    why: 'the fuzzer generates sessions with fast-check and plays them through the conformance harness',
  },
  'src/core': {
    layers: ['src/protocol', 'machines'],
    packages: ['xstate'],
    why: 'the pure core steps the charts over the vocabulary: no I/O, no wire, no clocks',
  },
  'src/wire': {
    // long is protobufjs's int64 type; the generated code lives in src/wire/generated.
    layers: ['src/protocol'],
    packages: ['protobufjs', 'long'],
    why: 'the codec maps bytes to the domain messages, with no state and no transport',
  },
  'src/drive': {
    layers: ['src/protocol', 'src/core'],
    packages: [],
    why: 'the drive loops run the cores; transports, codecs and the ledger are injected, never imported',
  },
  'src/transport': {
    layers: [],
    packages: ['@grpc/grpc-js', NODE],
    why: 'gRPC and HTTP/2 carry frames as bytes: no message type, no protocol rule, no ledger',
  },
  'src/identity': {
    layers: [],
    packages: [NODE],
    why: 'certificates, keys and development CAs need nothing of the protocol',
  },
  'src/ledger': {
    layers: ['src/protocol'],
    packages: ['abstract-level', 'memory-level', 'classic-level', 'pouchdb-selector-core', NODE],
    why: 'the world state uses the domain message types only: no transport, no runtime, no drive loop',
  },
  'src/pair': {
    layers: ['src/protocol', 'src/core', 'src/drive', 'src/wire'],
    packages: [NODE],
    why: 'both drive loops in one process (core for its option types): no gRPC, no runtime, no ledger',
  },
  'src/policy': {
    layers: [],
    packages: [],
    why: 'endorsement policies as values: the language, evaluation and planning are pure',
  },
  'src/orderer': {
    layers: ['src/protocol', 'src/wire', 'src/identity', 'src/policy'],
    packages: [NODE],
    why: 'cutting batches and building blocks (headers, hashes, signed metadata, the genesis config block with the policies src/policy evaluates): no ledger, no peer',
  },
  'src/committer': {
    layers: ['src/protocol', 'src/wire', 'src/identity', 'src/ledger', 'src/policy', 'src/orderer'],
    packages: [NODE],
    why: 'validating blocks (signatures, policies) and committing them to the ledger; it runs no chaincode',
  },
  'src/peer': {
    // The peer steps its core through src/drive, never directly.
    layers: ['src/protocol', 'src/drive', 'src/wire', 'src/transport', 'src/identity', 'src/ledger', 'src/policy', 'src/orderer', 'src/committer'],
    packages: [NODE],
    why: 'the peer runtime wires drive loops, transports and the ledger; never the chaincode runtime or the CLI',
  },
  'src/chaincode': {
    layers: ['src/protocol', 'src/drive', 'src/wire', 'src/transport', 'src/identity'],
    packages: ['long', NODE],
    typesOf: ['@grpc/grpc-js'],
    why: 'the chaincode runtime wires its drive loop and transport; never the peer, the ledger or the CLI',
  },
  'src/gateway': {
    layers: ['src/protocol', 'src/wire', 'src/transport', 'src/identity', 'src/ledger', 'src/policy', 'src/orderer', 'src/committer', 'src/peer'],
    packages: ['@grpc/grpc-js', NODE],
    why: "the client endpoint (Gateway, Deliver, Endorser services) over the peer runtime and the committer; never the chaincode runtime or the CLI",
  },
  'src/cli': {
    layers: ['src/protocol', 'src/transport', 'src/ledger', 'src/peer', 'src/gateway', 'src/identity', 'src/policy', 'src/proxy', 'src/trace', 'src/conform', 'src/fuzz', 'machines'],
    packages: ['commander', NODE],
    why: 'the command line starts the peer runtime and the proxy, checks traces and prints the charts; nothing imports it',
  },
  'src/index.ts': {
    layers: ['src/protocol', 'src/core', 'src/drive', 'src/pair'],
    packages: [],
    why: 'the package root stays narrow: gRPC, the ledger and the runtimes have their own subpath exports',
  },
};

const LAYERS = Object.keys(RULES) as Layer[];
const BUILTINS = new Set(builtinModules);

/** The layer a repository path belongs to, or undefined outside every layer. */
function layerOf(rel: string): Layer | undefined {
  return LAYERS.find((l) => rel === l || rel.startsWith(l + '/'));
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`, builtins -> NODE. */
function packageOf(spec: string): string {
  if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)) return NODE;
  return spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
}

/** Rule violations of one file, given as its repository path and its text. */
function checkFile(rel: string, text: string): string[] {
  const from = layerOf(rel);
  if (from === undefined) return [`${rel}: in no layer`];
  const rule = RULES[from];
  const bad: string[] = [];
  for (const im of findImports(text)) {
    const where = `${rel}:${im.line} ${im.kind} ${im.spec === undefined ? '(computed specifier)' : `'${im.spec}'`}`;
    if (im.spec === undefined) {
      bad.push(`${where}: a specifier that is not a string literal cannot be checked`);
    } else if (im.spec.startsWith('.')) {
      const target = relative(root, resolve(root, dirname(rel), im.spec)).split('\\').join('/');
      const to = layerOf(target);
      if (to !== from && (to === undefined || !rule.layers.includes(to))) bad.push(`${where}: ${from} may not import ${to ?? target}`);
    } else {
      const pkg = packageOf(im.spec);
      const typesOnly = im.typeOnly === true && rule.typesOf?.includes(pkg) === true;
      if (!rule.packages.includes(pkg) && !typesOnly) bad.push(`${where}: ${from} may not import ${pkg}`);
    }
  }
  return bad;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|js|mjs|cjs)$/.test(p) ? [p] : [];
  });
}

const rel = (p: string): string => relative(root, p).split('\\').join('/');
const allFiles = [...sources(join(root, 'machines')), ...sources(join(root, 'src'))];

// ---- self-tests of the finder and the checker on source text ----------------------------------

describe('architecture: the import finder', () => {
  const specs = (src: string) => findImports(src).map((f) => [f.kind, f.spec]);

  it('finds static imports, in every shape and over several lines', () => {
    const src = `
      import a from './a.js';
      import * as b from "./b.js";
      import c, { d } from './cd.js';
      import {
        e,
        type F,
      } from '../e.js'
      import type { G } from './g.js';
      import x = require('./x.js');
    `;
    expect(specs(src)).toEqual([
      ['static', './a.js'],
      ['static', './b.js'],
      ['static', './cd.js'],
      ['static', '../e.js'],
      ['static', './g.js'],
      ['require', './x.js'],
    ]);
    expect(findImports(src).find((f) => f.spec === './g.js')?.typeOnly).toBe(true);
    expect(findImports(src).find((f) => f.spec === './cd.js')?.typeOnly).toBe(false);
  });

  it('finds side-effect imports', () => {
    expect(specs(`import './polyfill.js';\nimport"../wire/generated/protos.js"`)).toEqual([
      ['side-effect', './polyfill.js'],
      ['side-effect', '../wire/generated/protos.js'],
    ]);
  });

  it('finds re-exports', () => {
    const src = `export * from './a.js';\nexport * as ns from "./b.js";\nexport { c, d as e } from './c.js'\nexport type { T } from './t.js';`;
    expect(specs(src)).toEqual([
      ['re-export', './a.js'],
      ['re-export', './b.js'],
      ['re-export', './c.js'],
      ['re-export', './t.js'],
    ]);
    expect(findImports(src)[3]?.typeOnly).toBe(true);
  });

  it('finds dynamic imports with any quoting, spacing and options, also in type positions', () => {
    const src = [
      `const a = await import('./a.js');`,
      `const b = await import("./b.js");`,
      'const c = await import(`./c.js`);',
      `const d = await import(\n  './d.js'\n);`,
      `const e = await import('./e.json', { with: { type: 'json' } });`,
      `let f: import('../ledger/index.js').Simulation;`,
    ].join('\n');
    expect(specs(src)).toEqual([
      ['dynamic', './a.js'],
      ['dynamic', './b.js'],
      ['dynamic', './c.js'],
      ['dynamic', './d.js'],
      ['dynamic', './e.json'],
      ['dynamic', '../ledger/index.js'],
    ]);
  });

  it('finds require() and the require functions of createRequire', () => {
    const src = [
      `const a = require('a');`,
      'const b = require(`b`);',
      `const c = createRequire(import.meta.url)('c');`,
      `const load = createRequire(import.meta.url);`,
      `const d = load("d/sub");`,
    ].join('\n');
    expect(specs(src)).toEqual([
      ['require', 'a'],
      ['require', 'b'],
      ['require', 'c'],
      ['require', 'd/sub'],
    ]);
  });

  it('reports a computed specifier as one it cannot name', () => {
    expect(specs('await import(name);\nrequire(`./${x}.js`);\nimport("./" + y);')).toEqual([
      ['dynamic', undefined],
      ['require', undefined],
      ['dynamic', undefined],
    ]);
  });

  it('ignores look-alikes in comments, strings, template and regex literals, and methods', () => {
    const src = [
      `// import './comment.js'`,
      `/* require('comment') */`,
      `const s = "import './string.js'";`,
      'const worker = `const { sign } = require(\'node:crypto\'); ${x} import(\'y\')`;',
      `const re = /import('z')|require("w")/g;`,
      `obj.require('m'); loader.import('n');`,
      `const o = { import: 1, require: 2 };`,
      `const url = import.meta.url;`,
      `export const from = 'f';`,
    ].join('\n');
    expect(findImports(src)).toEqual([]);
  });

  it('applies the rules to what it finds: each form is a violation where the layer forbids it', () => {
    const forms = [
      `import '../transport/index.js';`,
      `const t = require('../transport/index.js');`,
      'const t = await import(`../transport/index.js`);',
      `export { dial } from "../transport/index.js";`,
      `import { Peer } from '../peer/index.js';`,
      `import grpc from '@grpc/grpc-js';`,
    ];
    for (const src of forms) expect(checkFile('src/ledger/example.ts', src), src).toHaveLength(1);
    expect(checkFile('src/ledger/example.ts', `import { Message } from '../protocol/messages.js';\nimport './store.js';`)).toEqual([]);
    // Types of a package named in `typesOf`, never its code.
    expect(checkFile('src/chaincode/example.ts', `import type { ChannelOptions } from '@grpc/grpc-js';`)).toEqual([]);
    expect(checkFile('src/chaincode/example.ts', `import { Server } from '@grpc/grpc-js';`)).toHaveLength(1);
  });
});

// ---- the rules, on the real graph --------------------------------------------------------------

describe('architecture: each layer imports only what its rule allows', () => {
  it('has a rule for every folder of src/ and for machines/', () => {
    const layers = ['machines', ...readdirSync(join(root, 'src')).map((name) => `src/${name}`)];
    expect(layers.filter((l) => !LAYERS.includes(l as Layer))).toEqual([]);
    expect(LAYERS.filter((l) => !existsSync(join(root, l)))).toEqual([]);
  });

  it('finds the files it checks', () => expect(allFiles.length).toBeGreaterThan(100));

  for (const layer of LAYERS) {
    it(`${layer}: ${RULES[layer].why}`, () => {
      const files = allFiles.filter((f) => layerOf(rel(f)) === layer);
      expect(files.length).toBeGreaterThan(0);
      expect(files.flatMap((f) => checkFile(rel(f), readFileSync(f, 'utf8')))).toEqual([]);
    });
  }
});

// ---- the pure layers, followed transitively ---------------------------------------------------

/** The file a relative specifier loads (`./x.js` is `./x.ts` in the sources). */
function resolveLocal(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  return [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
}

/** Every import reachable from `file`, as [importer, specifier] pairs. */
function closure(file: string, seen = new Set<string>(), edges: [string, string][] = []): [string, string][] {
  if (seen.has(file)) return edges;
  seen.add(file);
  for (const { spec } of findImports(readFileSync(file, 'utf8'))) {
    edges.push([rel(file), spec ?? '(computed specifier)']);
    const target = spec?.startsWith('.') === true ? resolveLocal(file, spec) : undefined;
    if (target !== undefined) closure(target, seen, edges);
  }
  return edges;
}

const PURE: Layer[] = ['machines', 'src/core', 'src/protocol', 'src/observe'];

describe('architecture: the pure layers stay pure, transitively', () => {
  // machines/, src/core/ and src/protocol/ reach nothing but each other and xstate: no adapter,
  // no gRPC, no generated protobuf module, no node:* module, even through an indirect import.
  const roots = allFiles.filter((f) => PURE.includes(layerOf(rel(f))!));
  it('finds the files it checks', () => expect(roots.length).toBeGreaterThan(15));

  for (const file of roots) {
    it(rel(file), () => {
      const bad = closure(file).filter(([from, spec]) => {
        if (!spec.startsWith('.')) return spec !== 'xstate';
        const target = resolveLocal(join(root, from), spec);
        return target === undefined || !PURE.includes(layerOf(rel(target))!);
      });
      expect(bad.map(([from, spec]) => `${from} -> ${spec}`)).toEqual([]);
    });
  }
});
