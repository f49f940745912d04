// The frequency service's page in a real browser: builds a release of the bundled HapMap 3 data with the
// repository's population coordinates, starts `genomap serve` on 127.0.0.1 (any free port), and drives headless
// Debian Chromium (playwright-core) through a search. Only the server's own address may be contacted; a
// screenshot goes to DIR. Usage: GENOMAP_BINARY=build/genomap node service.browser.mjs DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dir = process.argv[2];
const binary = process.env.GENOMAP_BINARY;
if (!dir || !binary) {
  console.error('usage: GENOMAP_BINARY=PATH node service.browser.mjs DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const CHROMIUM = process.env.GENOMAP_CHROMIUM ?? '/usr/bin/chromium';
assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install the Debian package chromium (scripts/install-deps.sh)`);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

const release = join(dir, 'service.freqdb');
execFileSync(binary, ['freqdb', 'build', '--bfile', join(root, 'tests/data/hapmap3_admixture/hapmap3'),
  '--pop', join(root, 'tests/data/hapmap3_admixture/hapmap3_populations.tsv'),
  '--pop-coords', join(root, 'data/pop_coords/pop_coords.tsv'), '--quiet', '--out', release], { stdio: 'inherit' });

// The server prints "... on http://127.0.0.1:PORT/" once it listens.
const server = spawn(binary, ['serve', '--freqdb', release, '--port', '0', '--bind', '127.0.0.1', '--out', join(dir, 'service-serve')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const origin = await new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error(`the server did not start: ${text}`)), 20000);
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const m = /on (http:\/\/127\.0\.0\.1:\d+)\//.exec(text);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on('exit', (code) => reject(new Error(`the server exited (${code}): ${text}`)));
});

const profile = mkdtempSync(join(tmpdir(), 'genomap-chromium-'));
let context;
try {
  // A variant that the release holds, with a non-zero ALT frequency in some population.
  const region = await (await fetch(`${origin}/v1/region/1:1-10000000?limit=50`)).json();
  const variant = region.variants.find((v) => v.frequencies.filter((f) => f.allele_frequency > 0).length >= 2);
  assert.ok(variant, 'the release has a variant seen in two populations on chromosome 1');
  const populations = (await (await fetch(`${origin}/v1/populations`)).json()).populations;
  const placed = populations.filter((p) => p.latitude !== null);
  assert.deepEqual(populations.map((p) => p.name), ['CEU', 'MEX', 'YRI']);  // ASW (49 samples) is below 50: hidden
  assert.equal(placed.length, 3);

  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS,
    viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  let expected404 = 0;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expected404 > 0 && /status of 404/.test(msg.text())) { expected404--; return; }
    problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  await page.goto(`${origin}/`, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.ok(await page.locator('.countries path.land').count() > 100, 'the world outline is drawn');
  assert.equal(await page.locator('g.pie').count(), placed.length, 'one pie per placed population');

  await page.fill('#query', variant.id);
  await page.click('#search button');
  await page.waitForSelector('table.frequencies tbody tr', { timeout: 30000 });
  await page.waitForSelector('body[data-ready="true"]');
  const rows = await page.$$eval('table.frequencies tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), variant.frequencies.map((f) => f.population));
  assert.deepEqual(rows.map((r) => Number(r[2])), variant.frequencies.map((f) => f.allele_frequency));
  // Each pie shows the population's ALT share: the ALT slice's angle is the frequency's.
  for (const f of variant.frequencies) {
    const slices = await page.$$eval(`g.pie[data-pop="${f.population}"] path`, (ps) => ps.map((p) => p.getAttribute('fill')));
    const expected = (f.allele_frequency > 0 ? 1 : 0) + (f.allele_frequency < 1 ? 1 : 0);
    assert.equal(slices.length, expected, `${f.population}: ${slices.length} slices for frequency ${f.allele_frequency}`);
  }
  await page.screenshot({ path: join(dir, 'service-search.png'), fullPage: true });

  // A search that finds nothing says so and clears the pies.
  expected404 = 1;
  await page.fill('#query', 'rs_not_in_this_release');
  await page.click('#search button');
  await page.waitForFunction(() => document.querySelector('#message')?.textContent.includes('not in this release'));
  assert.equal(await page.locator('g.pie path').count(), 0);
  assert.equal(await page.locator('table.frequencies').count(), 0);

  assert.deepEqual(problems, [], problems.join('\n'));
  assert.deepEqual(outside, [], `the page contacted ${outside.join(', ')}`);
  console.log(`service page: ${variant.id} in ${rows.length} populations, ${placed.length} pies; screenshot in ${dir}`);
} finally {
  if (context) await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.kill('SIGTERM');
}
