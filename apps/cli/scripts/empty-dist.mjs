import { rmSync } from 'node:fs';

// Two builds write into dist/ (tsup.config.ts): it is emptied once, before both.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
