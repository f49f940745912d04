// Relatedness: KING-robust kinship against the share of IBS0 loci, with the degree bands of Manichaikul et
// al. 2010 (kinship > 0.354 duplicate or MZ twin, > 0.177 first, > 0.0884 second, > 0.0442 third degree),
// and the related pairs by degree.
import { max } from 'd3';
import { section, card, missing, escapeHtml, formatNumber, formatCount, widthOf, table } from '../ui.js';
import { scatterPlot } from './scatter.js';
import { columnsToTsv } from '../lib/tsv.js';
import { degreeLabel } from '../lib/stats.js';

const DEGREE_COLOURS = { 0: '#7b1fa2', 1: '#c62828', 2: '#ef6c00', 3: '#f9a825' };
const TABLE_ROWS = 200;

export function drawKinship(root, data) {
  const s = section(root, 'relatedness', 'Relatedness',
    'KING-robust kinship of each pair against the share of loci where the two are opposite homozygotes (IBS0). Bands mark the degrees of relationship.');
  const kin = data.kinship;
  const pairs = kin?.pairs;
  if (!pairs || !pairs.kinship) return missing(s, 'Kinship was not estimated.');
  const bands = kin.bands?.length === 4 ? kin.bands : [0.354, 0.177, 0.0884, 0.0442];
  const grid = s.append('div').attr('class', 'grid two');
  const n = pairs.kinship.length;
  const pairsTsv = () => columnsToTsv([
    { name: 'IID1', values: pairs.iid1 }, { name: 'IID2', values: pairs.iid2 }, { name: 'KINSHIP', values: pairs.kinship },
    { name: 'IBS0', values: pairs.ibs0 }, { name: 'DEGREE', values: pairs.degree ?? pairs.kinship.map(() => null) }]);
  const body = card(grid, 'Kinship against IBS0', {
    tsv: { name: 'kinship_pairs', text: pairsTsv },
    note: `${formatCount(n)} pairs shown${Number.isFinite(kin.unrelated_n) ? `; a maximal unrelated set keeps ${formatCount(kin.unrelated_n)} samples` : ''}.`,
  });
  const width = widthOf(body, 460);
  const yMax = Math.max(0.5, (max(pairs.kinship) ?? 0) + 0.02);
  const xMax = Math.max(0.02, (max(pairs.ibs0) ?? 0) * 1.05);
  scatterPlot(body, {
    x: pairs.ibs0, y: pairs.kinship, width, height: width * 0.75, xLabel: 'IBS0 (share of opposite homozygotes)', yLabel: 'kinship',
    radius: 2.6, xDomain: [0, xMax], yDomain: [Math.min(-0.05, (Math.min(...pairs.kinship) || 0) - 0.01), yMax], className: 'scatter kinship',
    colour: (i) => DEGREE_COLOURS[pairs.degree?.[i]] ?? '#8d99a6',
    tooltip: (i) => `<b>${escapeHtml(pairs.iid1[i])}</b> – <b>${escapeHtml(pairs.iid2[i])}</b><br>kinship ${formatNumber(pairs.kinship[i], 4)} · IBS0 ${formatNumber(pairs.ibs0[i], 4)}` +
      `<br>${degreeLabel(pairs.degree?.[i])}`,
    background: (g, sx, sy, iw) => {
      const edges = [yMax, ...bands];
      const names = ['duplicate / MZ', '1st degree', '2nd degree', '3rd degree'];
      for (let b = 0; b < 4; b++) {
        const top = sy(Math.min(edges[b], sy.domain()[1]));
        const bottom = sy(edges[b + 1]);
        g.append('rect').attr('class', `band band-${b}`).attr('x', 0).attr('width', iw).attr('y', top).attr('height', Math.max(0, bottom - top))
          .attr('fill', DEGREE_COLOURS[b]).attr('opacity', 0.07);
        g.append('line').attr('class', 'band-edge').attr('x1', 0).attr('x2', iw).attr('y1', bottom).attr('y2', bottom);
        g.append('text').attr('class', 'band-label').attr('x', iw - 4).attr('y', bottom - 4).attr('text-anchor', 'end').text(names[b]);
      }
    },
  });

  const tableBody = card(grid, 'Related pairs', { tsv: { name: 'kinship_pairs', text: pairsTsv } });
  const related = [];
  for (let i = 0; i < n; i++) if ((pairs.degree?.[i] ?? -1) >= 0) related.push(i);
  const counts = [0, 1, 2, 3].map((d) => related.filter((i) => pairs.degree[i] === d).length);
  const summary = tableBody.append('div').attr('class', 'degree-counts');
  [0, 1, 2, 3].forEach((d) => {
    const c = summary.append('div').attr('class', 'degree-count');
    c.append('span').attr('class', 'swatch').style('background', DEGREE_COLOURS[d]);
    c.append('b').text(formatCount(counts[d]));
    c.append('span').text(` ${degreeLabel(d)}`);
  });
  if (!related.length) {
    tableBody.append('p').attr('class', 'missing').text('No pair is related to the third degree or closer.');
    return;
  }
  related.sort((a, b) => pairs.degree[a] - pairs.degree[b] || pairs.kinship[b] - pairs.kinship[a]);
  table(tableBody, ['sample 1', 'sample 2', 'kinship', 'IBS0', 'degree'],
    related.slice(0, TABLE_ROWS).map((i) => [pairs.iid1[i], pairs.iid2[i], formatNumber(pairs.kinship[i], 4), formatNumber(pairs.ibs0[i], 4), degreeLabel(pairs.degree[i])]),
    { numeric: [2, 3] });
  if (related.length > TABLE_ROWS) tableBody.append('p').attr('class', 'note').text(`The first ${TABLE_ROWS} of ${formatCount(related.length)} related pairs; the TSV has all.`);
}
