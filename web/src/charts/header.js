// The header: the dataset, what QC kept, the populations and why samples or variants were excluded.
import { select } from 'd3';
import { card, formatCount, formatNumber, table, widthOf, escapeHtml } from '../ui.js';
import { rowsToTsv, columnsToTsv } from '../lib/tsv.js';
import { scatterPlot } from './scatter.js';

export function drawHeader(root, data, populationColourOf) {
  const ds = data.dataset ?? {};
  const header = select(root).append('header').attr('class', 'report-header');
  header.append('div').attr('class', 'kicker').text('genomap · population structure report');
  header.append('h1').text(data.title ?? ds.name ?? 'genomap report');
  if (ds.source) header.append('p').attr('class', 'source').text(ds.source);

  const tiles = header.append('div').attr('class', 'tiles');
  const tile = (label, value, sub) => {
    const t = tiles.append('div').attr('class', 'tile');
    t.append('div').attr('class', 'tile-value').text(value);
    t.append('div').attr('class', 'tile-label').text(label);
    if (sub) t.append('div').attr('class', 'tile-sub').text(sub);
  };
  const pops = ds.populations ?? [];
  tile('samples after QC', formatCount(ds.samples_after), `of ${formatCount(ds.samples_before)}`);
  tile('variants after QC', formatCount(ds.variants_after), `of ${formatCount(ds.variants_before)}`);
  tile('populations', formatCount(pops.length), ds.unassigned ? `${formatCount(ds.unassigned)} samples unassigned` : 'every sample assigned');
  if (data.admixture?.best_k) tile('best K', String(data.admixture.best_k), 'lowest cross-validation error');

  const grid = select(root).append('section').attr('id', 'overview').attr('class', 'section grid');
  const popRows = pops.map((p) => [p.name, p.n, p.lat ?? null, p.lon ?? null, p.source ?? '']);
  const popCard = card(grid, 'Populations', {
    tsv: { name: 'populations', text: () => rowsToTsv(['POP', 'N', 'LAT', 'LON', 'SOURCE'], popRows) },
    note: ds.unassigned ? `${formatCount(ds.unassigned)} samples have no population in the pop file; they are shown as "unassigned".` : null,
  });
  const list = popCard.append('div').attr('class', 'pop-list');
  const maxN = Math.max(1, ...pops.map((p) => p.n ?? 0));
  const row = list.selectAll('div.pop').data(pops).join('div').attr('class', 'pop');
  row.append('span').attr('class', 'swatch').style('background', (p) => populationColourOf(p.name));
  row.append('span').attr('class', 'pop-name').text((p) => p.name);
  row.append('span').attr('class', 'pop-bar').append('span').style('width', (p) => `${(100 * (p.n ?? 0)) / maxN}%`);
  row.append('span').attr('class', 'pop-n').text((p) => formatCount(p.n));
  if (ds.unassigned) {
    const u = list.append('div').attr('class', 'pop');
    u.append('span').attr('class', 'swatch').style('background', '#9a9a9a');
    u.append('span').attr('class', 'pop-name').text('unassigned');
    u.append('span').attr('class', 'pop-bar').append('span').style('width', `${(100 * ds.unassigned) / Math.max(maxN, ds.unassigned)}%`).style('background', '#bbb');
    u.append('span').attr('class', 'pop-n').text(formatCount(ds.unassigned));
  }

  const exclusions = ds.exclusions ?? [];
  const exRows = exclusions.map((e) => [e.step, e.reason, e.samples ?? 0, e.variants ?? 0]);
  const exCard = card(grid, 'Exclusions', {
    tsv: { name: 'exclusions', text: () => rowsToTsv(['STEP', 'REASON', 'SAMPLES', 'VARIANTS'], exRows) },
  });
  if (exRows.length) {
    table(exCard, ['step', 'reason', 'samples removed', 'variants removed'],
      exRows.map((r) => [r[0], r[1], formatCount(r[2]), formatCount(r[3])]), { numeric: [2, 3] });
  } else {
    exCard.append('p').attr('class', 'missing').text('No sample or variant was excluded.');
  }
  if (Number.isFinite(data.qc?.hwe_failed)) {
    exCard.append('p').attr('class', 'note').text(`${formatCount(data.qc.hwe_failed)} variants failed the Hardy-Weinberg test.`);
  }
  qcCard(grid, data, populationColourOf);
}

// Per-sample quality: call rate against the inbreeding coefficient F, the usual screen for contaminated
// (high heterozygosity, F < 0) or low-quality samples.
function qcCard(grid, data, populationColourOf) {
  const qc = data.qc ?? {};
  const samples = data.samples ?? {};
  if (!Array.isArray(qc.missing_rate) || !Array.isArray(qc.het_f)) return;
  const body = card(grid, 'Sample quality', {
    tsv: { name: 'sample_qc', text: () => columnsToTsv([{ name: 'IID', values: samples.iid ?? [] }, { name: 'POP', values: samples.pop ?? [] },
      { name: 'F_MISS', values: qc.missing_rate }, { name: 'F', values: qc.het_f }]) },
    note: 'Missing-call rate against the heterozygosity F of each sample.',
  });
  const width = widthOf(body, 380);
  scatterPlot(body, {
    x: qc.missing_rate, y: qc.het_f, width, height: width * 0.62, xLabel: 'missing-call rate', yLabel: 'F (heterozygosity)',
    radius: 2.5, className: 'scatter sample-qc', colour: (i) => populationColourOf(samples.pop?.[i]),
    tooltip: (i) => `<b>${escapeHtml(samples.iid?.[i])}</b> · ${escapeHtml(samples.pop?.[i] ?? 'unassigned')}<br>missing ${formatNumber(qc.missing_rate[i], 4)} · F ${formatNumber(qc.het_f[i], 4)}`,
  });
}
