// GWAS: the Manhattan plot (canvas, every variant) and the QQ plot of -log10 p with the genomic-control lambda.
import { scaleLinear, axisBottom, axisLeft, max } from 'd3';
import { section, card, missing, escapeHtml, formatNumber, formatCount, widthOf, showTooltip, hideTooltip } from '../ui.js';
import { chromosomeOffsets, expectedMinusLog10 } from '../lib/stats.js';
import { columnsToTsv } from '../lib/tsv.js';
import { drawSquares } from './canvas_points.js';

const GENOME_WIDE = 5e-8;

export function drawGwas(root, data) {
  const s = section(root, 'gwas', 'Association', null);
  const gw = data.gwas;
  if (!gw || !gw.p?.length) return missing(s, 'No association study was run (give --pheno).');
  const n = gw.p.length;
  const logp = Float64Array.from(gw.p, (p) => (Number.isFinite(p) && p > 0 ? -Math.log10(p) : Number.isFinite(p) && p === 0 ? 320 : NaN));
  const tsv = { name: 'gwas', text: () => columnsToTsv([{ name: 'CHROM', values: gw.chrom }, { name: 'POS', values: gw.pos }, { name: 'ID', values: gw.id }, { name: 'P', values: gw.p }]) };
  const grid = s.append('div').attr('class', 'grid wide-narrow');
  const hits = gw.p.filter((p) => p < GENOME_WIDE).length;
  const man = card(grid, `Manhattan plot${gw.phenotype ? ` · ${gw.phenotype}` : ''}`, {
    tsv, note: `${formatCount(n)} variants; ${formatCount(hits)} below the genome-wide line (p < 5e-8).`,
  });
  manhattan(man, gw, logp, widthOf(man, 700));
  const qq = card(grid, 'QQ plot', { tsv, note: Number.isFinite(gw.lambda) ? `Genomic-control λ = ${formatNumber(gw.lambda, 3)}` : null });
  qqPlot(qq, logp, gw.lambda, Math.min(380, widthOf(qq, 340)));
}

function frame(parent, width, height, m, className) {
  const box = parent.append('div').attr('class', `plot ${className}`).style('width', `${width}px`).style('height', `${height}px`);
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const ratio = window.devicePixelRatio || 1;
  const canvas = box.append('canvas').attr('width', Math.round(iw * ratio)).attr('height', Math.round(ih * ratio))
    .style('left', `${m.left}px`).style('top', `${m.top}px`).style('width', `${iw}px`).style('height', `${ih}px`);
  const ctx = canvas.node().getContext('2d');
  ctx.scale(ratio, ratio);
  const svg = box.append('svg').attr('width', width).attr('height', height);
  const g = svg.append('g').attr('transform', `translate(${m.left},${m.top})`);
  return { box, ctx, svg, g, iw, ih };
}

function manhattan(parent, gw, logp, width) {
  const height = Math.round(Math.max(260, width * 0.36));
  const m = { top: 12, right: 10, bottom: 36, left: 50 };
  const { box, ctx, svg, g, iw, ih } = frame(parent, width, height, m, 'manhattan');
  const { offsets, ticks, total } = chromosomeOffsets(gw.chrom, gw.pos);
  const x = scaleLinear().domain([0, total || 1]).range([0, iw]);
  const y = scaleLinear().domain([0, Math.max(8, (max(logp) ?? 0) * 1.05)]).range([ih, 0]).nice();
  const rank = new Map(ticks.map((t, i) => [t.name, i]));
  const colours = ['#3b5b92', '#8fb3de'];
  const xs = new Float64Array(logp.length);
  const ys = new Float64Array(logp.length);
  for (let i = 0; i < logp.length; i++) {
    xs[i] = x(offsets.get(String(gw.chrom[i])) + (gw.pos[i] ?? 0));
    ys[i] = Number.isFinite(logp[i]) ? y(logp[i]) : NaN;
  }
  const line = -Math.log10(GENOME_WIDE);
  drawSquares(ctx.canvas, iw, ih, xs, ys, (i) => (logp[i] >= line ? '#c62828' : colours[rank.get(String(gw.chrom[i])) % 2]), { size: 2.6 });
  box.attr('data-marks', logp.filter(Number.isFinite).length);
  g.append('line').attr('class', 'threshold').attr('x1', 0).attr('x2', iw).attr('y1', y(-Math.log10(GENOME_WIDE))).attr('y2', y(-Math.log10(GENOME_WIDE)));
  const labelled = ticks.filter((t, i) => ticks.length <= 12 || i % 2 === 0 || i === ticks.length - 1);
  g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`)
    .call(axisBottom(x).tickValues(labelled.map((t) => (t.start + t.end) / 2)).tickFormat((_, i) => labelled[i].name));
  g.append('g').attr('class', 'axis').call(axisLeft(y).ticks(6));
  svg.append('text').attr('class', 'axis-label').attr('x', m.left + iw / 2).attr('y', height - 4).attr('text-anchor', 'middle').text('chromosome');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(12,${m.top + ih / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('−log10 p');
  svg.append('rect').attr('class', 'overlay').attr('x', m.left).attr('y', m.top).attr('width', iw).attr('height', ih)
    .on('mousemove', (event) => {
      const mx = event.offsetX - m.left;
      const my = event.offsetY - m.top;
      let best = -1;
      let bestD = 64;
      for (let i = 0; i < logp.length; i++) {
        if (!Number.isFinite(logp[i])) continue;
        const d = (xs[i] - mx) ** 2 + (y(logp[i]) - my) ** 2;
        if (d < bestD) {
          bestD = d;
          best = i;
        }
      }
      if (best < 0) return hideTooltip();
      showTooltip(event, `<b>${escapeHtml(gw.id?.[best] ?? '')}</b><br>${escapeHtml(gw.chrom[best])}:${gw.pos[best]}<br>p = ${formatNumber(gw.p[best], 3)}`);
    })
    .on('mouseleave', hideTooltip);
}

function qqPlot(parent, logp, lambda, width) {
  const height = width;
  const m = { top: 12, right: 12, bottom: 40, left: 50 };
  const observed = Float64Array.from(logp.filter(Number.isFinite)).sort().reverse();
  const expected = expectedMinusLog10(observed.length);
  const { box, ctx, svg, g, iw, ih } = frame(parent, width, height, m, 'qq');
  const top = Math.max(expected[0] ?? 1, observed[0] ?? 1) * 1.05;
  const x = scaleLinear().domain([0, (expected[0] ?? 1) * 1.05]).range([0, iw]).nice();
  const y = scaleLinear().domain([0, top]).range([ih, 0]).nice();
  drawSquares(ctx.canvas, iw, ih, Float64Array.from(expected, (v) => x(v)), Float64Array.from(observed, (v) => y(v)), () => '#3b5b92', { size: 2.8 });
  box.attr('data-marks', observed.length);
  const end = Math.min(x.domain()[1], y.domain()[1]);
  g.append('line').attr('class', 'diagonal').attr('x1', x(0)).attr('y1', y(0)).attr('x2', x(end)).attr('y2', y(end));
  g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`).call(axisBottom(x).ticks(5));
  g.append('g').attr('class', 'axis').call(axisLeft(y).ticks(5));
  if (Number.isFinite(lambda)) g.append('text').attr('class', 'lambda').attr('x', 8).attr('y', 14).text(`λ = ${formatNumber(lambda, 3)}`);
  svg.append('text').attr('class', 'axis-label').attr('x', m.left + iw / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('expected −log10 p');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(12,${m.top + ih / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('observed −log10 p');
}
