// PCA: PC1/PC2, PC1/PC3 and PC3/PC4 coloured by population (projected relatives hollow), and the scree plot.
import { scaleBand, scaleLinear, axisBottom, axisLeft, max } from 'd3';
import { section, card, missing, escapeHtml, formatNumber, widthOf } from '../ui.js';
import { scatterPlot, legend } from './scatter.js';
import { columnsToTsv } from '../lib/tsv.js';

export function drawPca(root, data, populationColourOf, legendEntries) {
  const s = section(root, 'pca', 'Principal components',
    'Each point is a sample, coloured by population. Hollow points are relatives projected onto the axes of the unrelated set.');
  const pca = data.pca;
  if (!pca || !pca.pcs?.length) return missing(s, 'PCA was not run.');
  const samples = data.samples ?? {};
  const iid = samples.iid ?? [];
  const pop = samples.pop ?? [];
  const projected = pca.projected ?? [];
  const ve = pca.variance_explained ?? [];
  const label = (k) => `PC${k + 1}${Number.isFinite(ve[k]) ? ` (${(100 * ve[k]).toFixed(1)}%)` : ''}`;
  const pairs = [[0, 1], [0, 2], [2, 3]].filter(([a, b]) => pca.pcs[a] && pca.pcs[b]);

  legend(s, legendEntries);
  const grid = s.append('div').attr('class', 'grid three');
  const tsvColumns = () => columnsToTsv([
    { name: 'FID', values: samples.fid ?? iid.map(() => null) },
    { name: 'IID', values: iid },
    { name: 'POP', values: pop },
    ...pca.pcs.map((v, k) => ({ name: `PC${k + 1}`, values: v })),
    { name: 'PROJECTED', values: iid.map((_, i) => Boolean(projected[i])) },
  ]);
  pairs.forEach(([a, b]) => {
    const body = card(grid, `PC${a + 1} against PC${b + 1}`, { tsv: { name: 'pca', text: tsvColumns } });
    const width = widthOf(body, 360);
    scatterPlot(body, {
      x: pca.pcs[a], y: pca.pcs[b], width, height: width * 0.85, xLabel: label(a), yLabel: label(b),
      colour: (i) => populationColourOf(pop[i]), hollow: (i) => Boolean(projected[i]), className: `scatter pca-${a + 1}-${b + 1}`,
      tooltip: (i) => `<b>${escapeHtml(iid[i])}</b><br>${escapeHtml(pop[i] ?? 'unassigned')}${projected[i] ? '<br><i>projected</i>' : ''}` +
        `<br>PC${a + 1} ${formatNumber(pca.pcs[a][i], 4)} · PC${b + 1} ${formatNumber(pca.pcs[b][i], 4)}`,
    });
  });
  const ev = pca.eigenvalues ?? [];
  if (ev.length) {
    const body = card(grid, 'Scree plot', {
      tsv: { name: 'pca_eigenvalues', text: () => columnsToTsv([
        { name: 'PC', values: ev.map((_, k) => k + 1) }, { name: 'EIGENVALUE', values: ev },
        { name: 'VARIANCE_EXPLAINED', values: ev.map((_, k) => ve[k] ?? null) }]) },
    });
    scree(body, ev, ve, widthOf(body, 360));
  }
}

function scree(parent, eigenvalues, varianceExplained, width) {
  const height = width * 0.85;
  // The same height as the scatter plots beside it.
  const m = { top: 14, right: 12, bottom: 42, left: 54 };
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const useShare = varianceExplained.length === eigenvalues.length && varianceExplained.every(Number.isFinite);
  const values = useShare ? varianceExplained.map((v) => 100 * v) : eigenvalues;
  const x = scaleBand().domain(values.map((_, k) => k + 1)).range([0, iw]).padding(0.25);
  const y = scaleLinear().domain([0, max(values) || 1]).nice().range([ih, 0]);
  const svg = parent.append('div').attr('class', 'plot scree').append('svg').attr('width', width).attr('height', height);
  const g = svg.append('g').attr('transform', `translate(${m.left},${m.top})`);
  g.selectAll('rect').data(values).join('rect').attr('class', 'scree-bar')
    .attr('x', (_, k) => x(k + 1)).attr('width', x.bandwidth()).attr('y', (v) => y(v)).attr('height', (v) => ih - y(v));
  g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`)
    .call(axisBottom(x).tickValues(x.domain().filter((k) => values.length <= 12 || k % 2 === 1)));
  g.append('g').attr('class', 'axis').call(axisLeft(y).ticks(5));
  svg.append('text').attr('class', 'axis-label').attr('x', m.left + iw / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('principal component');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(13,${m.top + ih / 2}) rotate(-90)`).attr('text-anchor', 'middle')
    .text(useShare ? 'variance explained (%)' : 'eigenvalue');
}
