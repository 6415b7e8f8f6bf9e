// Every view element is embeddable and documented: web/src/embed.ts imports
// each file that defines one, and docs/embedding.md has a row for each, and
// the size of each pretrained model as shipped.
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

test("docs/embedding.md gives each pretrained model's file size to 0.1 MB", () => {
  const docs = read(new URL('../../docs/embedding.md', import.meta.url));
  const models = new URL('../../web/public/models/', import.meta.url);
  const files = readdirSync(models).filter((file) => file.endsWith('.safetensors'));
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const name = file.replace(/\.safetensors$/, '');
    const row = docs.match(new RegExp(`^\\| \`${name}\`[^\\n]*\\| ([\\d.]+) MB \\|$`, 'm'));
    expect(row, name).not.toBeNull();
    const megabytes = statSync(new URL(file, models)).size / 1e6;
    expect(Number(row![1]), name).toBeCloseTo(megabytes, 1);
  }
});
