#!/usr/bin/env node
// The `ccproto` command. It runs the compiled dist/ when that build is at least as new as every
// source file (fast start: the peer listens in ~200 ms), and otherwise — inside a checkout after
// `npm ci`, before or without `npm run build` — the TypeScript sources through tsx, so the command
// always works and is never stale. A published package has only dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}src/cli/main.ts`;
const built = `${root}dist/src/cli/main.js`;

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let entry = built;
if (existsSync(source) && (!existsSync(built) || statSync(built).mtimeMs < Math.max(newestSource(`${root}src`), newestSource(`${root}machines`)))) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    entry = source;
  } catch {
    // tsx is a devDependency: without it, use the build as it is.
  }
}
const cli = await import(pathToFileURL(entry).href);
await cli.runProcess();
