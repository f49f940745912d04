// History: the Fst heat map with populations ordered by a neighbour-joining tree of the Fst matrix, drawn
// beside it, and the f3 admixture tests with significantly negative statistics (Z < -3) highlighted
// (Patterson et al. 2012: a negative f3(C; A, B) shows C is a mixture of populations related to A and B), the
// qpAdm models, the dates of the admixed populations (dating.js) and IBD sharing between populations
// (ibd_sharing.js).
import { scaleSequential, interpolateYlGnBu, max, select } from 'd3';
import { section, card, missing, escapeHtml, formatNumber, formatCount, widthOf, table, showTooltip, hideTooltip } from '../ui.js';
import { neighbourJoining } from '../lib/nj.js';
import { rowsToTsv, columnsToTsv } from '../lib/tsv.js';
import { qpadmCard } from './qpadm.js';
import { datesCards } from './dating.js';
import { ibdCard } from './ibd_sharing.js';

const F3_ROWS = 150;

export function drawHistory(root, data, populationColourOf) {
  const s = section(root, 'history', 'Population history', null);
  let drew = false;
  if (data.fst?.pops?.length >= 2) {
    fstCard(s, data.fst);
    drew = true;
  }
  if (data.f3?.target?.length) {
    f3Card(s, data.f3);
    drew = true;
  }
  if (data.qpadm?.targets?.length) {
    qpadmCard(s, data.qpadm, populationColourOf);
    drew = true;
  }
  if (!drew) missing(s, 'Fst and f3 were not computed (they need at least two populations).');
  if (data.dates) {
    const dates = s.append('div').attr('class', 'dates');
    dates.append('h3').text('When they mixed');
    datesCards(dates.append('div').attr('class', 'grid two'), data.dates);
  }
  if (data.ibd) {
    const ibd = s.append('div').attr('class', 'ibd');
    ibd.append('h3').text('Who shares recent ancestors');
    ibdCard(ibd, data.ibd, (data.dataset?.populations ?? []).map((p) => p.name));
  }
}

function fstCard(parent, fst) {
  const pops = fst.pops;
  const n = pops.length;
  const M = fst.matrix.map((row) => row.map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0)));
  const { root, order } = neighbourJoining(pops, M);
  const body = card(parent, 'Fst between populations', {
    wide: true,
    tsv: { name: 'fst', text: () => rowsToTsv(['POP1', 'POP2', 'FST', 'SE'],
      pops.flatMap((a, i) => pops.slice(i + 1).map((b, k) => [a, b, fst.matrix[i][i + 1 + k], fst.se?.[i]?.[i + 1 + k] ?? null]))) },
    note: 'Rows and columns follow the leaves of a neighbour-joining tree of the Fst matrix (Saitou & Nei 1987), drawn at the left with branch lengths to scale.',
  });
  const width = Math.min(widthOf(body, 900), 980);
  const labelW = 90;
  const treeW = Math.min(220, width * 0.22);
  const cell = Math.max(6, Math.min(60, (width - treeW - labelW - 20) / n));
  const side = cell * n;
  const height = side + labelW + 10;
  const svg = body.append('div').attr('class', 'plot fst').append('svg').attr('width', treeW + side + labelW + 60).attr('height', height);
  const top = labelW;
  const colour = scaleSequential(interpolateYlGnBu).domain([0, max(M.flat()) || 1]);

  // The tree: leaves at the rows' centres, x by distance from the root.
  const rowOf = new Map(order.map((leaf, r) => [leaf, r]));
  const depthMax = maxDepth(root);
  const xOf = (d) => 8 + ((treeW - 16) * d) / (depthMax || 1);
  const tree = svg.append('g').attr('class', 'nj-tree').attr('transform', `translate(0,${top})`);
  const place = (node, depth) => {
    if (!node.children) return { y: (rowOf.get(node.index) + 0.5) * cell, x: xOf(depth) };
    const kids = node.children.map((c) => ({ ...place(c, depth + Math.max(0, c.length)), node: c }));
    const y = (Math.min(...kids.map((k) => k.y)) + Math.max(...kids.map((k) => k.y))) / 2;
    const x = xOf(depth);
    tree.append('line').attr('x1', x).attr('x2', x).attr('y1', Math.min(...kids.map((k) => k.y))).attr('y2', Math.max(...kids.map((k) => k.y)));
    kids.forEach((k) => tree.append('line').attr('x1', x).attr('x2', k.x).attr('y1', k.y).attr('y2', k.y));
    return { x, y };
  };
  place(root, 0);
  tree.selectAll('line.leaf-tie').data(order).join('line').attr('class', 'leaf-tie')
    .attr('x1', (leaf) => xOf(leafDepth(root, leaf))).attr('x2', treeW).attr('y1', (_, r) => (r + 0.5) * cell).attr('y2', (_, r) => (r + 0.5) * cell);

  const heat = svg.append('g').attr('class', 'heat').attr('transform', `translate(${treeW},${top})`);
  const cells = [];
  order.forEach((i, r) => order.forEach((j, c) => cells.push({ i, j, r, c })));
  heat.selectAll('rect').data(cells).join('rect').attr('class', 'cell').attr('x', (d) => d.c * cell).attr('y', (d) => d.r * cell)
    .attr('width', cell - 0.5).attr('height', cell - 0.5).attr('fill', (d) => (d.i === d.j ? '#f3f3f1' : colour(M[d.i][d.j])))
    .on('mousemove', (event, d) => showTooltip(event, `<b>${escapeHtml(pops[d.i])}</b> – <b>${escapeHtml(pops[d.j])}</b><br>Fst ${formatNumber(fst.matrix[d.i][d.j], 4)}` +
      `${Number.isFinite(fst.se?.[d.i]?.[d.j]) ? ` ± ${formatNumber(fst.se[d.i][d.j], 4)}` : ''}`))
    .on('mouseleave', hideTooltip);
  if (cell >= 30) {
    heat.selectAll('text.cell-value').data(cells.filter((d) => d.i !== d.j)).join('text').attr('class', 'cell-value')
      .attr('x', (d) => (d.c + 0.5) * cell).attr('y', (d) => (d.r + 0.5) * cell).attr('dy', '0.35em').attr('text-anchor', 'middle')
      .attr('fill', (d) => (M[d.i][d.j] > colour.domain()[1] * 0.55 ? 'white' : '#222')).text((d) => formatNumber(fst.matrix[d.i][d.j], 3).replace(/^0\./, '.'));
  }
  const font = Math.min(12, cell * 0.8);
  heat.selectAll('text.row-label').data(order).join('text').attr('class', 'row-label').attr('x', side + 6).attr('y', (_, r) => (r + 0.5) * cell)
    .attr('dy', '0.35em').style('font-size', `${font}px`).text((i) => pops[i]);
  heat.selectAll('text.col-label').data(order).join('text').attr('class', 'col-label')
    .attr('transform', (_, c) => `translate(${(c + 0.5) * cell},-6) rotate(-50)`).style('font-size', `${font}px`).text((i) => pops[i]);
  colourBar(body, colour);
}

function maxDepth(node, depth = 0) {
  if (!node.children) return depth;
  return Math.max(...node.children.map((c) => maxDepth(c, depth + Math.max(0, c.length))));
}
function leafDepth(node, leaf, depth = 0) {
  if (!node.children) return node.index === leaf ? depth : -1;
  for (const c of node.children) {
    const d = leafDepth(c, leaf, depth + Math.max(0, c.length));
    if (d >= 0) return d;
  }
  return -1;
}

function colourBar(parent, colour) {
  const [lo, hi] = colour.domain();
  const el = parent.append('div').attr('class', 'colour-bar');
  el.append('span').text(`Fst ${formatNumber(lo, 3)}`);
  el.append('span').attr('class', 'ramp').style('background', `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map((t) => colour(lo + t * (hi - lo))).join(',')})`);
  el.append('span').text(formatNumber(hi, 3));
}

function f3Card(parent, f3) {
  const n = f3.target.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (f3.z[a] ?? Infinity) - (f3.z[b] ?? Infinity));
  const significant = idx.filter((i) => f3.z[i] < -3);
  const outgroup = f3.outgroup ? ` with outgroup ${f3.outgroup}` : '';
  const body = card(parent, `f3 admixture tests${outgroup}`, {
    wide: true,
    tsv: { name: 'f3', text: () => columnsToTsv([
      { name: 'TARGET', values: f3.target }, { name: 'A', values: f3.a }, { name: 'B', values: f3.b },
      { name: 'F3', values: f3.f3 }, { name: 'SE', values: f3.se }, { name: 'Z', values: f3.z }]) },
    note: `${formatCount(significant.length)} of ${formatCount(n)} tests have Z < -3 (highlighted): evidence that the target is a mixture of populations related to A and B. Sorted by Z.` +
      (n > F3_ROWS ? ` The ${F3_ROWS} lowest are listed; the TSV has all.` : ''),
  });
  const controls = body.append('label').attr('class', 'controls');
  const box = controls.append('input').attr('type', 'checkbox');
  controls.append('span').text(' only Z < -3');
  const holder = body.append('div');
  const render = () => {
    holder.selectAll('*').remove();
    const rows = (box.property('checked') ? significant : idx).slice(0, F3_ROWS);
    table(holder, ['target', 'source A', 'source B', 'f3', 'SE', 'Z'],
      rows.map((i) => [f3.target[i], f3.a[i], f3.b[i], formatNumber(f3.f3[i], 5), formatNumber(f3.se[i], 5), formatNumber(f3.z[i], 2)]),
      { numeric: [3, 4, 5], rowClass: (row) => (Number(row[5]) < -3 ? 'significant' : null) });
  };
  box.on('change', render);
  render();
  select(body.node()).attr('data-significant', significant.length);
}
