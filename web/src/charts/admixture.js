// Ancestry: one stacked bar per sample for every K (SVG up to a few thousand samples, a canvas averaging the
// samples that share a pixel column beyond), and the cross-validation error against K with the best K marked.
import { scaleLinear, scalePoint, axisBottom, axisLeft, line, extent } from 'd3';
import { section, card, missing, escapeHtml, formatNumber, widthOf, showTooltip, hideTooltip, table } from '../ui.js';
import { ancestryColour } from '../lib/palette.js';
import { columnsToTsv } from '../lib/tsv.js';

// SVG bars (K rectangles each) up to this many samples; a canvas beyond.
export const BARS_CANVAS_ABOVE = 1500;

export function drawAdmixture(root, data, sampleOrder) {
  const s = section(root, 'ancestry', 'Ancestry',
    'Each bar is one sample; colours are ancestry components, matched across runs and from K to K+1 so one colour means one ancestry throughout. ' +
    'Populations follow the pop file; within each, samples are sorted by the population\'s main component at the highest K.');
  const adm = data.admixture;
  if (!adm || !adm.ks?.length) return missing(s, 'Ancestry (admixture) was not run.');
  const samples = data.samples ?? {};
  const { order, groups } = sampleOrder;
  const body = card(s, 'Ancestry proportions by K', {
    wide: true,
    tsv: { name: 'ancestry', text: () => ancestryTsv(adm, samples) },
  });
  const width = widthOf(body, 900);
  const labelW = 46;
  const plotW = width - labelW;
  adm.ks.forEach((entry) => {
    const row = body.append('div').attr('class', 'bar-row');
    row.append('div').attr('class', 'k-label').style('width', `${labelW}px`).text(`K=${entry.k}`);
    barPlot(row, entry, order, groups, plotW, 78, samples);
  });
  groupLabels(body.append('div').style('margin-left', `${labelW}px`), groups, order.length, plotW);

  const lower = s.append('div').attr('class', 'grid two');
  if (adm.ks.some((e) => Number.isFinite(e.cv_error))) {
    const cvBody = card(lower, 'Cross-validation error', {
      tsv: { name: 'admixture_cv', text: () => columnsToTsv([
        { name: 'K', values: adm.ks.map((e) => e.k) }, { name: 'CV_ERROR', values: adm.ks.map((e) => e.cv_error) },
        { name: 'LOGLIK', values: adm.ks.map((e) => e.loglik) }, { name: 'STARTS', values: adm.ks.map((e) => e.starts) }]) },
      note: adm.best_k ? `Best K = ${adm.best_k}, the lowest cross-validation error.` : null,
    });
    cvPlot(cvBody, adm, Math.min(520, widthOf(cvBody, 480)));
  }
  const fits = card(lower, 'Fits', { note: 'The best of several seeded starts is kept at each K.' });
  table(fits, ['K', 'log-likelihood', 'CV error', 'starts'],
    adm.ks.map((e) => [`${e.k}${e.k === adm.best_k ? ' (best)' : ''}`, (Number.isFinite(e.loglik) ? e.loglik.toLocaleString('en-US', { maximumFractionDigits: 1 }) : 'NA'), formatNumber(e.cv_error, 5), e.starts ?? 'NA']),
    { numeric: [1, 2, 3], rowClass: (row) => (row[0].endsWith('(best)') ? 'best-k' : null) });
}

// Stacking order is the colour index, so a component sits at the same height at every K.
function stackOrder(entry) {
  return entry.q.map((_, j) => j).sort((a, b) => (entry.colour?.[a] ?? a) - (entry.colour?.[b] ?? b));
}

function barPlot(parent, entry, order, groups, width, height, samples) {
  const n = order.length;
  const box = parent.append('div').attr('class', 'plot barplot').attr('data-k', entry.k).attr('data-bars', n)
    .style('width', `${width}px`).style('height', `${height}px`);
  const stack = stackOrder(entry);
  const colours = entry.q.map((_, j) => ancestryColour(entry.colour?.[j] ?? j));
  if (n <= BARS_CANVAS_ABOVE) {
    box.attr('data-renderer', 'svg');
    const svg = box.append('svg').attr('width', width).attr('height', height).attr('shape-rendering', 'crispEdges');
    const bw = width / n;
    const bars = svg.selectAll('g.bar').data(order).join('g').attr('class', 'bar')
      .attr('transform', (_, pos) => `translate(${pos * bw},0)`);
    bars.each(function (sample) {
      let y0 = 0;
      for (const j of stack) {
        const v = entry.q[j][sample] ?? 0;
        const h = v * height;
        if (h > 0) {
          const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
          rect.setAttribute('y', y0);
          rect.setAttribute('width', bw + 0.35);
          rect.setAttribute('height', h);
          rect.setAttribute('fill', colours[j]);
          this.appendChild(rect);
        }
        y0 += h;
      }
    });
    separators(svg, groups, n, width, height);
  } else {
    box.attr('data-renderer', 'canvas');
    const ratio = window.devicePixelRatio || 1;
    const canvas = box.append('canvas').attr('width', Math.round(width * ratio)).attr('height', Math.round(height * ratio))
      .style('width', `${width}px`).style('height', `${height}px`);
    const context = canvas.node().getContext('2d');
    context.scale(ratio, ratio);
    // One column per device pixel: the mean ancestry of the samples that fall in it.
    const columns = Math.round(width * ratio);
    const cw = width / columns;
    for (let c = 0; c < columns; c++) {
      const from = Math.floor((c * n) / columns);
      const to = Math.max(from + 1, Math.floor(((c + 1) * n) / columns));
      let y0 = 0;
      for (const j of stack) {
        let sum = 0;
        for (let p = from; p < to; p++) sum += entry.q[j][order[p]] ?? 0;
        const h = (sum / (to - from)) * height;
        context.fillStyle = colours[j];
        context.fillRect(c * cw, y0, cw + 0.3, h);
        y0 += h;
      }
    }
    const svg = box.append('svg').attr('width', width).attr('height', height).style('position', 'absolute').style('left', 0).style('top', 0);
    separators(svg, groups, n, width, height);
  }
  box.on('mousemove', (event) => {
    const pos = Math.min(n - 1, Math.max(0, Math.floor((event.offsetX / width) * n)));
    const sample = order[pos];
    const parts = stack.map((j) => `<span class="swatch" style="background:${colours[j]}"></span>${formatNumber(entry.q[j][sample], 3)}`).join(' ');
    showTooltip(event, `<b>${escapeHtml(samples.iid?.[sample])}</b> · ${escapeHtml(samples.pop?.[sample] ?? 'unassigned')}<br>K=${entry.k}: ${parts}`);
  }).on('mouseleave', hideTooltip);
}

function separators(svg, groups, n, width, height) {
  svg.append('g').attr('class', 'separators').selectAll('line').data(groups.slice(1)).join('line')
    .attr('x1', (g) => (g.start / n) * width).attr('x2', (g) => (g.start / n) * width).attr('y1', 0).attr('y2', height);
}

function groupLabels(parent, groups, n, width) {
  const narrow = groups.some((g) => ((g.end - g.start) / n) * width < 46);
  const height = narrow ? 74 : 22;
  const svg = parent.append('svg').attr('class', 'group-labels').attr('width', width).attr('height', height);
  svg.selectAll('text').data(groups).join('text')
    .attr('transform', (g) => `translate(${(((g.start + g.end) / 2) / n) * width},12)${narrow ? ' rotate(-40)' : ''}`)
    .attr('text-anchor', narrow ? 'end' : 'middle').attr('dy', narrow ? '0.3em' : 0).text((g) => g.pop);
}

function cvPlot(parent, adm, width) {
  const height = Math.round(width * 0.55);
  const m = { top: 14, right: 20, bottom: 40, left: 60 };
  const iw = width - m.left - m.right;
  const ih = height - m.top - m.bottom;
  const pts = adm.ks.filter((e) => Number.isFinite(e.cv_error));
  const x = scalePoint().domain(pts.map((e) => e.k)).range([0, iw]).padding(0.3);
  const [lo, hi] = extent(pts, (e) => e.cv_error);
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  const y = scaleLinear().domain([lo - span * 0.15, hi + span * 0.15]).nice().range([ih, 0]);
  const svg = parent.append('div').attr('class', 'plot cv').append('svg').attr('width', width).attr('height', height);
  const g = svg.append('g').attr('transform', `translate(${m.left},${m.top})`);
  g.append('g').attr('class', 'axis').attr('transform', `translate(0,${ih})`).call(axisBottom(x));
  g.append('g').attr('class', 'axis').call(axisLeft(y).ticks(5));
  g.append('path').attr('class', 'cv-line').attr('d', line().x((e) => x(e.k)).y((e) => y(e.cv_error))(pts));
  g.selectAll('circle').data(pts).join('circle').attr('class', (e) => (e.k === adm.best_k ? 'cv-point best' : 'cv-point'))
    .attr('cx', (e) => x(e.k)).attr('cy', (e) => y(e.cv_error)).attr('r', (e) => (e.k === adm.best_k ? 6.5 : 4));
  const best = pts.find((e) => e.k === adm.best_k);
  if (best) {
    g.append('text').attr('class', 'best-label').attr('x', x(best.k)).attr('y', y(best.cv_error) + 22).attr('text-anchor', 'middle').text('best K');
  }
  svg.append('text').attr('class', 'axis-label').attr('x', m.left + iw / 2).attr('y', height - 6).attr('text-anchor', 'middle').text('K');
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(14,${m.top + ih / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('CV error');
}

function ancestryTsv(adm, samples) {
  const iid = samples.iid ?? [];
  const cols = [{ name: 'FID', values: samples.fid ?? iid.map(() => null) }, { name: 'IID', values: iid }, { name: 'POP', values: samples.pop ?? iid.map(() => null) }];
  for (const e of adm.ks) e.q.forEach((v, j) => cols.push({ name: `K${e.k}_C${(e.colour?.[j] ?? j) + 1}`, values: v }));
  return columnsToTsv(cols);
}
