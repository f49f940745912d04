// IBD sharing between populations (History): a heat map of the mean length of IBD segments shared per pair of
// samples for each pair of populations (the diagonal: within a population), one length bin at a time or all
// together (Ralph & Coop 2013: long segments shared across places are recent migration; short ones older
// shared ancestry). Buttons pick the bin; the TSV has the whole table.
import { scaleSequentialSqrt, interpolateOrRd, max } from 'd3';
import { card, missing, escapeHtml, formatNumber, formatCount, widthOf, showTooltip, hideTooltip } from '../ui.js';
import { rowsToTsv } from '../lib/tsv.js';
import { binLabels, sharingMatrix } from '../lib/history.js';

export function ibdCard(parent, ibd, populationOrder) {
  if (ibd.skipped || !ibd.sharing) {
    missing(parent, `IBD sharing was not computed: ${ibd.skipped ?? 'no table'}.`);
    return;
  }
  const labels = binLabels(ibd.bin_edges_cm ?? [2, 4, 6, 10]);
  const bins = [...labels.map((label, i) => ({ key: i, label })), { key: 'all', label: `all ≥ ${ibd.bin_edges_cm?.[0] ?? 2} cM` }];
  const order = populationOrder.filter((p) => (ibd.pops ?? []).includes(p));
  const map = ibd.map === 'uniform 1 cM/Mb' ? ' on a uniform map of 1 cM per Mb (the .bim has no genetic map)' : '';
  const body = card(parent, 'IBD sharing between populations', {
    wide: true,
    tsv: { name: 'ibd-sharing', text: () => rowsToTsv(['POP1', 'POP2', 'PAIRS', ...labels.flatMap((l) => [`SEG ${l}`, `CM ${l}`])],
      ibd.sharing.map((r) => [r.pop1, r.pop2, r.pairs, ...r.segments.flatMap((s, b) => [s, r.cm[b]])])) },
    note: `Mean total length (cM) of IBD segments shared per pair of samples, between two populations (colour) and within one (the grey diagonal, where relatives dominate): ` +
      `${formatCount(ibd.segments)} segments ≥ ${ibd.min_cm ?? 2} cM (LOD ≥ ${formatNumber(ibd.min_lod, 1)}) in ${formatCount(ibd.pairs_with_segments)} ` +
      `of ${formatCount(ibd.sample_pairs)} pairs of samples, ${formatCount(ibd.variants)} variants${map}.`,
  });
  const controls = body.append('div').attr('class', 'controls');
  controls.append('span').attr('class', 'control-label').text('segment length');
  const holder = body.append('div').attr('class', 'plot ibd-heat');
  let current = 'all';
  controls.selectAll('button').data(bins).join('button').attr('type', 'button').attr('class', 'k-button bin-button')
    .attr('data-bin', (b) => b.key).classed('active', (b) => b.key === current).text((b) => b.label)
    .on('click', (_, b) => {
      current = b.key;
      controls.selectAll('button.bin-button').classed('active', (x) => x.key === current);
      draw();
    });
  function draw() {
    holder.selectAll('*').remove();
    const { pops, values } = sharingMatrix(ibd, current, 'cm', order.length ? order : null);
    holder.attr('data-bin', current).attr('data-cells', pops.length * pops.length);
    const n = pops.length;
    const width = Math.min(widthOf(body, 700), 760);
    const labelW = 90;
    const cell = Math.max(6, Math.min(60, (width - labelW - 40) / Math.max(1, n)));
    // Colour is for sharing between populations; the diagonal (within, where relatives dominate) is grey with
    // its value written, so that it does not set the scale.
    const between = values.flatMap((row, r) => row.filter((v, c) => c !== r && Number.isFinite(v)));
    const colour = scaleSequentialSqrt(interpolateOrRd).domain([0, max(between) || 1]);
    const svg = holder.append('svg').attr('width', cell * n + labelW + 20).attr('height', cell * n + labelW + 10);
    const g = svg.append('g').attr('transform', `translate(0,${labelW})`);
    const cells = [];
    pops.forEach((a, r) => pops.forEach((b, c) => cells.push({ a, b, r, c, v: values[r][c] })));
    const rowOf = new Map((ibd.sharing ?? []).map((row) => [`${row.pop1}\t${row.pop2}`, row]));
    const rowFor = (a, b) => rowOf.get(`${a}\t${b}`) ?? rowOf.get(`${b}\t${a}`);
    g.selectAll('rect').data(cells).join('rect').attr('class', 'ibd-cell').attr('x', (d) => d.c * cell).attr('y', (d) => d.r * cell)
      .attr('width', cell - 0.5).attr('height', cell - 0.5).attr('fill', (d) => (d.r === d.c ? '#e4e2dd' : Number.isFinite(d.v) ? colour(d.v) : '#f3f3f1'))
      .attr('data-value', (d) => d.v)
      .on('mousemove', (event, d) => {
        const row = rowFor(d.a, d.b);
        const seg = current === 'all' ? row?.segments.reduce((s, v) => s + (v ?? 0), 0) : row?.segments[current];
        showTooltip(event, `<b>${escapeHtml(d.a)}</b> – <b>${escapeHtml(d.b)}</b> · ${bins.find((b) => b.key === current).label}<br>` +
          `${formatNumber(d.v, 4)} cM and ${formatNumber(seg, 4)} segments per pair<br>${formatCount(row?.pairs)} pairs of samples`);
      })
      .on('mouseleave', hideTooltip);
    if (cell >= 34) {
      g.selectAll('text.cell-value').data(cells.filter((d) => Number.isFinite(d.v) && (d.r === d.c || d.v > 0))).join('text').attr('class', 'cell-value')
        .attr('x', (d) => (d.c + 0.5) * cell).attr('y', (d) => (d.r + 0.5) * cell).attr('dy', '0.35em').attr('text-anchor', 'middle')
        .attr('fill', (d) => (d.r !== d.c && d.v > colour.domain()[1] * 0.5 ? 'white' : '#222')).text((d) => formatNumber(d.v, 2));
    }
    const font = Math.min(12, cell * 0.8);
    g.selectAll('text.row-label').data(pops).join('text').attr('class', 'row-label').attr('x', n * cell + 6).attr('y', (_, r) => (r + 0.5) * cell)
      .attr('dy', '0.35em').style('font-size', `${font}px`).text((p) => p);
    g.selectAll('text.col-label').data(pops).join('text').attr('class', 'col-label')
      .attr('transform', (_, c) => `translate(${(c + 0.5) * cell},-6) rotate(-50)`).style('font-size', `${font}px`).text((p) => p);
    const [lo, hi] = colour.domain();
    const bar = holder.append('div').attr('class', 'colour-bar');
    bar.append('span').text(`cM per pair between populations ${formatNumber(lo, 3)}`);
    bar.append('span').attr('class', 'ramp').style('background', `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => colour(lo + t * t * (hi - lo))).join(',')})`);
    bar.append('span').text(formatNumber(hi, 3));
  }
  draw();
}
