// Every view element is embeddable and documented: web/src/embed.ts imports
// each file that defines one, and docs/embedding.md has a row for each.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const views = new URL('../../web/src/views/', import.meta.url);
const read = (url: URL) => readFileSync(url, 'utf8');

test('every latentlab-* view is imported by embed.ts and has a row in docs/embedding.md', () => {
  const embed = read(new URL('../../web/src/embed.ts', import.meta.url));
  const docs = read(new URL('../../docs/embedding.md', import.meta.url));
  const defined = readdirSync(views).flatMap((file) =>
    [...read(new URL(file, views)).matchAll(/define\('(latentlab-[\w-]+)'/g)].map((m) => ({
      file,
      name: m[1],
    })),
  );
  expect(defined.map((d) => d.name)).toContain('latentlab-feature-maps');
  for (const { file, name } of defined) {
    expect(embed, name).toContain(`import './views/${file.replace(/\.ts$/, '')}';`);
    expect(docs, name).toMatch(new RegExp(`^\\| \`<${name}>\` \\|`, 'm'));
  }
});
