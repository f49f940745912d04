// The report `genomap analyze` writes on the bundled HapMap3 data (not a fixture), in headless Debian Chromium
// driven by playwright-core: no console error, no request leaving the page, one PCA mark and one ancestry bar per
// sample, land and one pie per placed population on the map, zoom and pan keeping the pies at their places, the
// GWAS plots and the qpAdm models drawn. Screenshots go to DIR (test artifacts).
// Usage: GENOMAP_BINARY=build/genomap node analyze.browser.mjs DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const dir = process.argv[2];
const binary = process.env.GENOMAP_BINARY;
if (!dir || !binary) {
  console.error('usage: GENOMAP_BINARY=PATH node analyze.browser.mjs DIR');
  process.exit(2);
}
const CHROMIUM = process.env.GENOMAP_CHROMIUM ?? '/usr/bin/chromium';
assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install the Debian package chromium (scripts/install-deps.sh)`);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

// The analysis: HapMap3 with its coordinates, K 2..3 with one start and no CV (fast), a made-up quantitative
// phenotype for the GWAS step, and qpAdm with CEU and YRI as right populations.
const data = join(root, 'tests/data/hapmap3_admixture');
mkdirSync(dir, { recursive: true });
const fam = readFileSync(join(data, 'hapmap3.fam'), 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
writeFileSync(join(dir, 'pheno.txt'), `FID IID QT\n${fam.map(([fid, iid], i) => `${fid} ${iid} ${(10 + Math.sin(i * 1.7)).toFixed(5)}`).join('\n')}\n`);
const out = join(dir, 'analyze');
rmSync(out, { recursive: true, force: true });
execFileSync(binary, ['analyze', '--bfile', join(data, 'hapmap3'), '--pop', join(data, 'hapmap3_populations.tsv'),
  '--pop-coords', join(data, 'hapmap3_coordinates.tsv'), '--k', '2..3', '--starts', '1', '--cv', '0', '--threads', '2',
  '--pheno', join(dir, 'pheno.txt'), '--gwas-pcs', '4', '--qpadm-right', 'CEU,YRI', '--quiet', '--out', out], { stdio: 'inherit' });
const report = join(out, 'report.html');
const doc = JSON.parse(readFileSync(join(out, 'report-data.json'), 'utf8'));
const n = doc.samples.iid.length;

async function pieCentres(page) {
  return page.$$eval('#map g.pie', (gs) => gs.map((g) => {
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform'));
    return { pop: g.dataset.pop, x: Number(m[1]), y: Number(m[2]), r: Number(g.querySelector('circle.pie-rim').getAttribute('r')) };
  }));
}

// The zoom transform of the land: "translate(x,y) scale(k)".
async function landTransform(page) {
  const text = await page.getAttribute('#map g.geo', 'transform');
  const m = /translate\(([-\d.e]+),([-\d.e]+)\) scale\(([-\d.e]+)\)/.exec(text);
  assert.ok(m, `land transform: ${text}`);
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
}

// Each pie sits where its unzoomed place goes under the transform, keeps its radius, and each leader line
// still runs from the true place to the rim of its pie.
async function checkPiesAttached(page, before, label) {
  const t = await landTransform(page);
  const after = await pieCentres(page);
  for (const [i, p] of after.entries()) {
    assert.ok(Math.abs(p.x - (t.x + t.k * before[i].x)) < 0.01 && Math.abs(p.y - (t.y + t.k * before[i].y)) < 0.01,
      `${label}: pie ${p.pop} at ${p.x},${p.y}, expected ${t.x + t.k * before[i].x},${t.y + t.k * before[i].y}`);
    assert.equal(p.r, before[i].r, `${label}: pie ${p.pop} keeps its size`);
  }
  // (A pie moved by less than its radius covers its true place: its leader has no length, inside the pie.)
  const leaders = await page.$$eval('#map line.leader', (ls) => ls.map((l) => ['x1', 'y1', 'x2', 'y2'].map((a) => Number(l.getAttribute(a)))));
  assert.ok(leaders.length > 0, 'some pies were moved apart');
  for (const [x1, y1, x2, y2] of leaders) {
    const attached = after.some((p) => Math.abs(Math.hypot(x2 - p.x, y2 - p.y) - p.r) < 0.01 ||
      (x1 === x2 && y1 === y2 && Math.hypot(x2 - p.x, y2 - p.y) <= p.r));
    assert.ok(attached, `${label}: a leader line ends at ${x2},${y2}, on no pie's rim`);
  }
  return t;
}

const profile = mkdtempSync(join(tmpdir(), 'genomap-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1360, height: 900 },
});
try {
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  const reportUrl = pathToFileURL(report).href;
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === reportUrl) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on('request', (request) => {
    const url = request.url();
    if (url !== reportUrl && !url.startsWith('blob:') && !outside.includes(url)) outside.push(url);
  });
  await page.goto(reportUrl, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });

  // PCA: every analysed sample has PCs (unrelated or projected) and one mark in each panel.
  for (const [a, b] of [[1, 2], [1, 3], [3, 4]]) {
    assert.ok(doc.pca.pcs[a - 1].every(Number.isFinite) && doc.pca.pcs[b - 1].every(Number.isFinite));
    assert.equal(await page.getAttribute(`.pca-${a}-${b}`, 'data-marks'), String(n), `PC${a}/PC${b} marks`);
    assert.equal(await page.locator(`.pca-${a}-${b} circle.mark`).count(), n, `PC${a}/PC${b} circles`);
  }
  // Ancestry: one bar per sample at K = 2 and 3.
  assert.deepEqual(doc.admixture.ks.map((e) => e.k), [2, 3]);
  for (const { k } of doc.admixture.ks) {
    assert.equal(await page.getAttribute(`.barplot[data-k="${k}"]`, 'data-bars'), String(n), `K=${k} bars`);
    assert.equal(await page.locator(`.barplot[data-k="${k}"] g.bar`).count(), n, `K=${k} bar elements`);
  }
  // The map: land inside the view and one pie per population with coordinates (all four).
  const placed = doc.dataset.populations.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  assert.equal(placed.length, 4);
  const landDrawn = await page.$$eval('#map path.land', (paths) => paths.filter((p) => (p.getAttribute('d') ?? '').length > 20).length);
  assert.ok(landDrawn > 20, `land paths with a shape inside the view: ${landDrawn}`);
  assert.equal(await page.locator('#map g.pie').count(), placed.length, 'one pie per placed population');
  assert.deepEqual((await pieCentres(page)).map((p) => p.pop).sort(), placed.map((p) => p.name).sort());

  // Zoom and pan: the land's transform changes, the pies follow their places and keep their size.
  const before = await pieCentres(page);
  assert.equal((await landTransform(page)).k, 1);
  await page.click('#map button.zoom-in');
  let t = await checkPiesAttached(page, before, 'zoom in');
  assert.equal(t.k, 2);
  await page.locator('#map svg').scrollIntoViewIfNeeded();
  const svgBox = await page.locator('#map svg').boundingBox();
  await page.mouse.move(svgBox.x + svgBox.width / 2, svgBox.y + svgBox.height / 2);
  await page.mouse.down();
  await page.mouse.move(svgBox.x + svgBox.width / 2 + 80, svgBox.y + svgBox.height / 2 + 30, { steps: 5 });
  await page.mouse.up();
  const panned = await checkPiesAttached(page, before, 'pan');
  assert.ok(Math.abs(panned.x - t.x) > 10 || Math.abs(panned.y - t.y) > 10, `dragging moved the map: ${JSON.stringify([t, panned])}`);
  await page.locator('#map').screenshot({ path: join(dir, 'analyze-map-zoomed.png') });
  await page.click('#map button.zoom-reset');
  t = await checkPiesAttached(page, before, 'reset');
  assert.deepEqual(t, { x: 0, y: 0, k: 1 });

  // GWAS: every tested variant on the Manhattan and QQ plots; lambda shown.
  const withP = doc.gwas.p.filter((x) => Number.isFinite(x)).length;
  assert.ok(withP > 10000, `${withP} variants with a p-value`);
  assert.equal(await page.getAttribute('.manhattan', 'data-marks'), String(withP));
  assert.equal(await page.getAttribute('.qq', 'data-marks'), String(withP));
  // History: the qpAdm models, one bar per model shown, with one segment per source.
  const models = doc.qpadm.targets.flatMap((x) => x.models);
  assert.ok(models.length >= 2, `${models.length} qpAdm models`);
  assert.equal(await page.locator('#history g.qpadm-model').count(), models.length);
  assert.equal(await page.locator('#history rect.qpadm-segment').count(), models.reduce((s, m) => s + m.sources.length, 0));
  // History, dates: with these rights qpAdm offers no two-source model, so no date card and each target listed
  // with the reason. IBD: the heat map of every pair of populations; no link on the map when no two populations
  // share a segment (as here after the QC filters), and the map says so.
  assert.equal(await page.locator('#history .date-card').count(), doc.dates.targets.length);
  assert.equal(await page.locator('#history .not-dated tbody tr').count(), doc.dates.not_dated.length);
  assert.ok(doc.dates.not_dated.length >= 2);
  assert.equal(await page.locator('#history rect.ibd-cell').count(), doc.ibd.pops.length ** 2);
  const linked = doc.ibd.sharing.filter((r) => r.pop1 !== r.pop2 && r.cm.some((v) => v > 0)).length;
  assert.equal(await page.locator('#map line.link').count(), linked);
  if (!linked) assert.match(await page.locator('#map .ibd-links-note').innerText(), /No two populations on the map share/);

  await page.evaluate(() => { document.querySelector('.top-nav').style.position = 'static'; });
  await page.screenshot({ path: join(dir, 'analyze-report.png'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.deepEqual(outside, [], `requests left the page: ${outside.join(', ')}`);
  console.log(`analyze report: ${n} samples, ${placed.length} pies, ${withP} GWAS variants, ${models.length} qpAdm models; screenshots in ${dir}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log('analyze report browser test: all checks passed');
