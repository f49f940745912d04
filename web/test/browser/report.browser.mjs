// The report in a real browser: headless Debian Chromium driven by playwright-core loads the reports that
// render_fixtures.mjs wrote with the library's writer, and checks what a reader would see. Every request the
// page makes is intercepted: only the report file itself may load. Screenshots go to DIR (test artifacts).
// Usage: node report.browser.mjs DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node report.browser.mjs DIR');
  process.exit(2);
}
const CHROMIUM = process.env.GENOMAP_CHROMIUM ?? '/usr/bin/chromium';
assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install the Debian package chromium (scripts/install-deps.sh)`);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

async function openReport(context, file) {
  const page = await context.newPage();
  const problems = [];
  const outside = [];
  const reportUrl = pathToFileURL(file).href;
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
  const started = Date.now();
  await page.goto(reportUrl, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  const seconds = (Date.now() - started) / 1000;
  return { page, problems, outside, seconds };
}

// The pies on the map (centre, radius) after checking that no two overlap.
async function piesApart(page) {
  const pies = await page.$$eval('#map g.pie', (gs) => gs.map((g) => {
    const m = /translate\(([-\d.e]+),([-\d.e]+)\)/.exec(g.getAttribute('transform'));
    return { pop: g.dataset.pop, x: Number(m[1]), y: Number(m[2]), r: Number(g.querySelector('circle.pie-rim').getAttribute('r')) };
  }));
  for (let i = 0; i < pies.length; i++) {
    for (let j = i + 1; j < pies.length; j++) {
      const gap = Math.hypot(pies[i].x - pies[j].x, pies[i].y - pies[j].y) - pies[i].r - pies[j].r;
      assert.ok(gap >= 1, `pies ${pies[i].pop} and ${pies[j].pop} overlap (gap ${gap})`);
    }
  }
  return pies;
}

function finitePairs(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) n++;
  return n;
}

// Nothing in the file can point outside it: no external script, style sheet, image, frame, font or import.
function checkSelfContained(file) {
  const html = readFileSync(file, 'utf8');
  const patterns = [/<script[^>]+src\s*=/i, /<link[\s>]/i, /<img[\s>]/i, /<iframe[\s>]/i, /<object[\s>]/i, /<embed[\s>]/i,
    /url\(\s*['"]?(https?:)?\/\//i, /@import/i, /(src|href|action)\s*=\s*['"]?(https?:)?\/\//i];
  for (const pattern of patterns) assert.ok(!pattern.test(html), `${file} matches ${pattern}`);
  assert.ok(html.includes("default-src 'none'"), 'the page carries a content security policy that forbids loading');
}

async function checkExample(context) {
  checkSelfContained(join(dir, 'example.html'));
  const data = JSON.parse(readFileSync(join(here, '../fixtures/report-data.example.json'), 'utf8'));
  const n = data.samples.iid.length;
  const { page, problems, outside } = await openReport(context, join(dir, 'example.html'));
  await page.setViewportSize({ width: 1360, height: 900 });

  // PCA: one mark per sample in each panel.
  for (const [a, b] of [[1, 2], [1, 3], [3, 4]]) {
    const expected = finitePairs(data.pca.pcs[a - 1], data.pca.pcs[b - 1]);
    assert.equal(expected, n, 'the example has every PC for every sample');
    assert.equal(await page.locator(`.pca-${a}-${b} circle.mark`).count(), n, `PC${a}/PC${b} marks`);
    assert.equal(await page.getAttribute(`.pca-${a}-${b}`, 'data-marks'), String(n));
  }
  assert.equal(await page.locator('.sample-qc circle.mark').count(), n, 'sample quality marks');
  // Ancestry: one bar per sample at every K.
  for (const { k } of data.admixture.ks) {
    assert.equal(await page.locator(`.barplot[data-k="${k}"] g.bar`).count(), n, `K=${k} bars`);
  }
  assert.equal(await page.locator('.cv-point.best').count(), 1, 'best K marked');

  // The map: land drawn, one pie per population with coordinates, pies apart, slices follow the K buttons.
  const placed = data.dataset.populations.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const land = await page.locator('#map path.land').count();
  assert.ok(land > 100, `land paths: ${land}`);
  const landDrawn = await page.$$eval('#map path.land', (paths) => paths.filter((p) => (p.getAttribute('d') ?? '').length > 20).length);
  assert.ok(landDrawn > 20, `land paths with a shape inside the view: ${landDrawn}`);
  assert.equal(await page.locator('#map g.pie').count(), placed.length, 'one pie per placed population');
  const pies = await piesApart(page);
  assert.deepEqual(pies.map((p) => p.pop).sort(), placed.map((p) => p.name).sort());
  const byN = new Map(placed.map((p) => [p.name, p.n]));
  const [big, small] = [...pies].sort((a, b) => byN.get(b.pop) - byN.get(a.pop)).filter((_, i, all) => i === 0 || i === all.length - 1);
  if (byN.get(big.pop) !== byN.get(small.pop) && small.r > 5) {
    const ratio = (big.r / small.r) ** 2;
    const expected = byN.get(big.pop) / byN.get(small.pop);
    assert.ok(Math.abs(ratio - expected) < 1e-6 * expected, `pie areas follow sample sizes: ${ratio} vs ${expected}`);
  }
  for (const { k } of data.admixture.ks) {
    await page.click(`#map button.k-button[data-k="${k}"]`);
    const slices = await page.$$eval('#map g.pie', (gs) => gs.map((g) => g.querySelectorAll('path').length));
    assert.ok(slices.every((s) => s >= 1 && s <= k), `K=${k} slices per pie: ${slices}`);
    assert.ok(slices.some((s) => s === k), `K=${k}: some pie shows all ${k} components`);
  }
  await page.click(`#map button.k-button[data-k="${data.admixture.best_k}"]`);

  // History: an NJ tree beside a full Fst heat map; f3 rows with Z < -3 highlighted.
  const p = data.fst.pops.length;
  assert.equal(await page.locator('#history rect.cell').count(), p * p);
  assert.ok(await page.locator('#history .nj-tree line').count() >= 2 * p - 2);
  const significant = data.f3.z.filter((z) => z < -3).length;
  assert.equal(await page.locator('#history tr.significant').count(), Math.min(significant, 150));

  // History, dates: one card per dated population with its date in generations and years and the decay curve
  // (every point, the fitted line over the fit's range); the populations not dated listed with the reason.
  for (const t of data.dates.targets) {
    const sel = `#history .date-card[data-target="${t.target}"]`;
    const text = await page.locator(sel).innerText();
    const g = String(Number(t.generations.toFixed(1)));
    const se = String(Number(t.se.toFixed(1)));
    assert.ok(text.includes(`${g} ± ${se} generations`), `date card: ${text}`);
    assert.ok(text.includes(`${Math.round(t.generations * 29).toLocaleString('en-US')} ± ${Math.round(t.se * 29).toLocaleString('en-US')} years`), text);
    assert.equal(await page.locator(`${sel} circle.decay-point`).count(), t.curve.distance_cm.length);
    assert.equal(await page.locator(`${sel} circle.decay-point.in-fit`).count(), t.curve.in_fit.filter(Boolean).length);
    const fit = await page.getAttribute(`${sel} path.decay-fit`, 'd');
    assert.equal((fit.match(/L/g) ?? []).length, t.curve.in_fit.filter(Boolean).length - 1, 'one fitted vertex per point in the fit');
  }
  assert.equal(await page.locator('#history .not-dated tbody tr').count(), data.dates.not_dated.length);
  // History, IBD: a heat map of every pair of populations for each length bin; each cell holds the table's mean.
  const ibdPops = data.ibd.pops.length;
  for (const bin of ['0', '1', '2', '3', 'all']) {
    await page.click(`#history button.bin-button[data-bin="${bin}"]`);
    assert.equal(await page.getAttribute('#history .ibd-heat', 'data-bin'), bin);
    assert.equal(await page.locator('#history rect.ibd-cell').count(), ibdPops * ibdPops);
  }
  await page.click('#history button.bin-button[data-bin="3"]');
  const heat = await page.$$eval('#history rect.ibd-cell', (cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
  const heatPops = data.dataset.populations.map((pop) => pop.name);
  for (const row of data.ibd.sharing) {
    const [a, b] = [heatPops.indexOf(row.pop1), heatPops.indexOf(row.pop2)];
    assert.equal(heat[a * ibdPops + b], row.cm[3], `${row.pop1}-${row.pop2}`);
    assert.equal(heat[b * ibdPops + a], row.cm[3], `${row.pop2}-${row.pop1}`);
  }
  // The map: a line for each pair of placed populations that shares IBD, widest for the most, from pie to pie.
  const sharing = data.ibd.sharing.filter((r) => r.pop1 !== r.pop2 && r.cm.some((v) => v > 0))
    .map((r) => ({ key: `${r.pop1}-${r.pop2}`, cm: r.cm.reduce((x, v) => x + v, 0) })).sort((x, y) => y.cm - x.cm);
  assert.ok(sharing.length > 0, 'the example has IBD shared between populations');
  const links = await page.$$eval('#map line.link', (ls) => ls.map((l) => ({ key: `${l.dataset.from}-${l.dataset.to}`,
    width: Number(l.getAttribute('stroke-width')), x1: Number(l.getAttribute('x1')), y1: Number(l.getAttribute('y1')) })));
  assert.deepEqual(links.map((l) => l.key), sharing.map((l) => l.key));
  for (let i = 1; i < links.length; i++) assert.ok(links[i].width <= links[i - 1].width);
  const pie = pies.find((q) => q.pop === sharing[0].key.split('-')[0]);
  assert.ok(Math.hypot(links[0].x1 - pie.x, links[0].y1 - pie.y) < 0.01, 'a link starts at its pie');
  assert.equal(await page.getAttribute('#map .ibd-links-note', 'data-links'), String(sharing.length));

  // Relatedness: one mark per pair; the table lists the pairs of degree 0-3.
  assert.equal(await page.locator('.scatter.kinship circle.mark').count(), data.kinship.pairs.kinship.length);
  const relatedPairs = data.kinship.pairs.degree.filter((d) => d >= 0).length;
  assert.equal(await page.locator('#relatedness tbody tr').count(), Math.min(relatedPairs, 200));

  // GWAS: every variant with a p-value on the Manhattan and QQ plots.
  const withP = data.gwas.p.filter((x) => Number.isFinite(x)).length;
  assert.equal(await page.getAttribute('.manhattan', 'data-marks'), String(withP));
  assert.equal(await page.getAttribute('.qq', 'data-marks'), String(withP));

  // A TSV button makes the file in the page.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pca button.tsv >> nth=0')]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.equal(download.suggestedFilename(), 'pca.tsv');
  assert.ok(lines[0].startsWith('FID\tIID\tPOP\tPC1\tPC2'), lines[0]);
  assert.equal(lines.length, n + 1);
  assert.equal(lines[1].split('\t')[1], data.samples.iid[0]);

  // Hover on a PCA point shows its sample.
  const box = await page.locator('.pca-1-2 circle.mark >> nth=0').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tip = await page.locator('.tooltip').innerText();
  assert.ok(data.samples.iid.some((id) => tip.includes(id)), `tooltip: ${tip}`);
  await page.mouse.move(0, 0);

  // Screenshots (test artifacts): the whole page without the sticky bar, and each section.
  await page.evaluate(() => { document.querySelector('.top-nav').style.position = 'static'; });
  await page.screenshot({ path: join(dir, 'report-example.png'), fullPage: true });
  for (const id of ['overview', 'map', 'ancestry', 'pca', 'relatedness', 'history', 'gwas', 'provenance']) {
    await page.locator(`#${id}`).screenshot({ path: join(dir, `report-example-${id}.png`) });
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.deepEqual(outside, [], `requests left the page: ${outside.join(', ')}`);
  console.log(`example: ${n} samples, ${placed.length} pies, ${land} land paths; screenshots in ${dir}`);
  await page.close();
}

async function checkLarge(context) {
  const file = join(dir, 'large.html');
  const bytes = statSync(file).size;
  assert.ok(bytes < 20e6, `the 50,000-sample report is ${bytes} bytes`);
  const data = JSON.parse(readFileSync(join(dir, 'large.json'), 'utf8'));
  const n = data.samples.iid.length;
  const { page, problems, outside, seconds } = await openReport(context, file);
  assert.equal(await page.getAttribute('.pca-1-2', 'data-renderer'), 'canvas');
  assert.equal(await page.getAttribute('.pca-1-2', 'data-marks'), String(n));
  for (const { k } of data.admixture.ks) {
    assert.equal(await page.getAttribute(`.barplot[data-k="${k}"]`, 'data-renderer'), 'canvas');
    assert.equal(await page.getAttribute(`.barplot[data-k="${k}"]`, 'data-bars'), String(n));
  }
  assert.equal(await page.locator('#map g.pie').count(), data.dataset.populations.length);
  // Samples outside the pop file are one group at the end, and are named in the header.
  assert.equal(await page.locator('.group-labels text').last().textContent(), 'unassigned');
  assert.match(await page.locator('.tiles').innerText(), new RegExp(`${data.dataset.unassigned.toLocaleString('en-US')} samples unassigned`));
  assert.equal(await page.getAttribute('.sample-qc', 'data-marks'), String(n));
  // ITU and STU were both collected in London: their pies must have been pushed apart, with leader lines.
  await piesApart(page);
  assert.ok(await page.locator('#map line.leader').count() >= 2, 'moved pies have leader lines');
  await page.locator('#map').screenshot({ path: join(dir, 'report-large-map.png') });
  await page.screenshot({ path: join(dir, 'report-large.png') });
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.deepEqual(outside, []);
  // Reported, not asserted (timings depend on the machine): how long the page took to draw.
  const timings = await page.evaluate(() => window.genomapTimings);
  console.log(`large: ${n} samples, ${(bytes / 1e6).toFixed(1)} MB, loaded and drawn in ${seconds.toFixed(2)} s ` +
    `(page's own clock: data parsed at ${timings.data_parsed} ms, drawn at ${timings.ready} ms; sections ${JSON.stringify(timings)})`);
  await page.close();
}

const profile = mkdtempSync(join(tmpdir(), 'genomap-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM, headless: true, args: FLAGS, acceptDownloads: true, viewport: { width: 1360, height: 900 },
});
try {
  await checkExample(context);
  await checkLarge(context);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log('report browser test: all checks passed');
