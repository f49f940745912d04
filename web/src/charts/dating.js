// Dates of admixture (History): one card per dated population with the time since mixture in generations and
// years (± 1 SE, delete-one-chromosome jackknife) and the weighted LD decay it was fitted to (ALDER, Loh et al.
// 2013): the binned weighted LD as points, the fitted A exp(-n d) + c as a line over the fit's range.
import { scaleLinear, line as d3line, extent } from 'd3';
import { card, missing, escapeHtml, formatNumber, showTooltip, hideTooltip, table } from '../ui.js';
import { columnsToTsv } from '../lib/tsv.js';
import { datingSummary, YEARS_PER_GENERATION } from '../lib/history.js';

const WIDTH = 380;
const HEIGHT = 210;
const MARGIN = { top: 10, right: 12, bottom: 36, left: 62 };

export function datesCards(parent, dates) {
  const targets = dates.targets ?? [];
  const map = dates.map === 'uniform 1 cM/Mb' ? 'a uniform map of 1 cM per Mb (the .bim has no genetic map)' : 'the .bim\'s genetic map';
  if (!targets.length && !(dates.not_dated ?? []).length) {
    missing(parent, `No population was dated: ${dates.skipped ?? 'nothing to date'}.`);
    return;
  }
  for (const t of targets) dateCard(parent, t, map);
  if ((dates.not_dated ?? []).length) {
    const body = card(parent, 'Populations not dated', {
      note: dates.sources_from === 'qpadm'
        ? 'A population is dated when its best feasible qpAdm model has two sources.'
        : 'A population is dated when an admixture f3(T; A, B) has Z < -3; A and B are then its sources.',
    });
    body.attr('class', 'card-body not-dated');
    table(body, ['population', 'why not'], dates.not_dated.map((d) => [d.target, d.reason]));
  }
}

function dateCard(parent, t, map) {
  const s = datingSummary(t);
  const c = t.curve ?? {};
  const title = `${t.target}: mixture of ${(t.sources ?? []).join(' and ')}`;
  const body = card(parent, title, {
    tsv: { name: `date-${t.target}`, text: () => columnsToTsv([
      { name: 'DIST_CM', values: c.distance_cm ?? [] }, { name: 'WEIGHTED_LD', values: c.weighted_ld ?? [] },
      { name: 'FITTED', values: c.fitted ?? [] }, { name: 'IN_FIT', values: (c.in_fit ?? []).map((x) => (x ? 1 : 0)) }]) },
    note: `Weighted LD of ${t.target} (${t.n_target ?? '?'} samples, ${t.variants ?? '?'} variants) against genetic distance on ${map}, ` +
      `weights from ${(t.sources ?? []).join(' and ')}; filled points are in the fit ` +
      `(${t.fit_min_cm}–${t.fit_max_cm} cM). SE: delete-one-chromosome jackknife. Years at ${YEARS_PER_GENERATION} per generation.`,
  });
  body.attr('class', 'card-body date-card').attr('data-target', t.target).attr('data-generations', s.generations);
  const headline = body.append('p').attr('class', 'date-headline');
  if (s.generations !== null) {
    headline.append('span').attr('class', 'date-generations').text(`${formatNumber(s.generations, 1)} ± ${formatNumber(s.se, 1)} generations ago`);
    headline.append('span').attr('class', 'date-years').text(` ≈ ${Math.round(s.years).toLocaleString('en-US')} ± ${Math.round(s.yearsSe).toLocaleString('en-US')} years`);
  }
  body.append('p').attr('class', 'date-detail').text(`amplitude Z ${formatNumber(s.z, 1)} · sources chosen by ${t.evidence ?? t.chosen_by}`);
  if (!s.supported) body.append('p').attr('class', 'date-warning').text(`Not supported: ${s.reason}.`);
  decayChart(body, t);
}

function decayChart(body, t) {
  const c = t.curve ?? {};
  const points = (c.distance_cm ?? []).map((d, i) => ({ d, y: c.weighted_ld[i], f: c.fitted[i], fit: c.in_fit[i] }))
    .filter((p) => Number.isFinite(p.d) && Number.isFinite(p.y));
  const svg = body.append('div').attr('class', 'plot decay').attr('data-points', points.length)
    .append('svg').attr('width', WIDTH).attr('height', HEIGHT);
  if (!points.length) return;
  const x = scaleLinear().domain([0, extent(points, (p) => p.d)[1]]).nice().range([MARGIN.left, WIDTH - MARGIN.right]);
  const ys = points.flatMap((p) => [p.y, p.f]).filter(Number.isFinite);
  const y = scaleLinear().domain(extent(ys)).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const axis = svg.append('g').attr('class', 'axis');
  axis.append('line').attr('x1', MARGIN.left).attr('x2', WIDTH - MARGIN.right).attr('y1', HEIGHT - MARGIN.bottom).attr('y2', HEIGHT - MARGIN.bottom);
  axis.append('line').attr('x1', MARGIN.left).attr('x2', MARGIN.left).attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom);
  axis.selectAll('text.x-tick').data(x.ticks(6)).join('text').attr('class', 'x-tick').attr('x', x).attr('y', HEIGHT - MARGIN.bottom + 14)
    .attr('text-anchor', 'middle').text((v) => v);
  axis.selectAll('text.y-tick').data(y.ticks(4)).join('text').attr('class', 'y-tick').attr('x', MARGIN.left - 4).attr('y', y)
    .attr('dy', '0.35em').attr('text-anchor', 'end').text((v) => v.toExponential(1));
  axis.append('text').attr('class', 'axis-label').attr('x', (MARGIN.left + WIDTH - MARGIN.right) / 2).attr('y', HEIGHT - 4)
    .attr('text-anchor', 'middle').text('genetic distance (cM)');
  axis.append('text').attr('class', 'axis-label').attr('transform', `translate(12,${(MARGIN.top + HEIGHT - MARGIN.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle').text('weighted LD');
  svg.append('g').selectAll('circle').data(points).join('circle').attr('class', (p) => (p.fit ? 'decay-point in-fit' : 'decay-point'))
    .attr('cx', (p) => x(p.d)).attr('cy', (p) => y(p.y)).attr('r', 2)
    .on('mousemove', (event, p) => showTooltip(event, `<b>${escapeHtml(t.target)}</b> ${formatNumber(p.d, 2)} cM<br>weighted LD ${formatNumber(p.y, 4)}<br>fitted ${formatNumber(p.f, 4)}`))
    .on('mouseleave', hideTooltip);
  const fitted = points.filter((p) => p.fit && Number.isFinite(p.f));
  svg.append('path').attr('class', 'decay-fit').attr('d', d3line().x((p) => x(p.d)).y((p) => y(p.f))(fitted) ?? '');
}
