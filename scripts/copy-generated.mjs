// tsc does not emit the generated protobufjs module (plain .js + .d.ts); copy it into dist/ so
// that the built `ccproto/wire` export works.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
const from = 'src/wire/generated';
const to = 'dist/src/wire/generated';
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from)) if (f.endsWith('.js') || f.endsWith('.d.ts')) cpSync(`${from}/${f}`, `${to}/${f}`);
