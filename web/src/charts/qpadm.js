// qpAdm models (History): for each target the best feasible models of the pipeline's rotation as stacked bars,
// one segment per source (the population's colour) with the block-jackknife SE of each weight drawn as a
// whisker at the segment's end (Harney et al. 2021 on reading qpAdm weights and p-values).
import { escapeHtml, formatNumber, showTooltip, hideTooltip, card, widthOf } from '../ui.js';
import { rowsToTsv } from '../lib/tsv.js';

const ROW = 26;
const LABEL = 150;

export function qpadmCard(parent, qpadm, populationColourOf) {
  const targets = qpadm.targets ?? [];
  const rows = targets.flatMap((t) => (t.models ?? []).map((m) => ({ target: t.target, ...m })));
  const body = card(parent, `qpAdm models (right: ${(qpadm.right ?? []).join(', ')})`, {
    wide: true,
    tsv: { name: 'qpadm', text: () => rowsToTsv(['TARGET', 'SOURCES', 'WEIGHTS', 'SE', 'P', 'FEASIBLE'],
      rows.map((m) => [m.target, m.sources.join(','), m.weights.join(','), (m.se ?? []).join(','), m.p, m.feasible])) },
    note: 'Best feasible models per target (all weights in [0, 1], largest p first) out of every model of ' +
      `1–${qpadm.max_sources ?? '?'} sources from the other populations; whiskers: ±1 SE of each weight. A model with p < 0.05 is rejected.`,
  });
  const width = Math.min(widthOf(body, 800), 900);
  const barW = Math.max(160, width - LABEL - 210);
  const lines = targets.reduce((n, t) => n + 1 + Math.max(1, t.models?.length ?? 0), 0);
  const svg = body.append('div').attr('class', 'plot qpadm').attr('data-models', rows.length)
    .append('svg').attr('width', LABEL + barW + 210).attr('height', lines * ROW + 20);
  let y = 4;
  for (const t of targets) {
    svg.append('text').attr('class', 'qpadm-target').attr('x', 0).attr('y', y + ROW * 0.65).text(t.target);
    y += ROW;
    if (!t.models?.length) {
      svg.append('text').attr('class', 'qpadm-none').attr('x', LABEL).attr('y', y + ROW * 0.65)
        .text(`no feasible model among ${t.fitted ?? 0}`);
      y += ROW;
      continue;
    }
    for (const m of t.models) {
      drawModel(svg.append('g').attr('class', 'qpadm-model').attr('data-target', t.target)
        .attr('transform', `translate(0,${y})`), m, barW, populationColourOf);
      y += ROW;
    }
  }
}

function drawModel(g, m, barW, colourOf) {
  g.append('text').attr('class', 'qpadm-sources').attr('x', 12).attr('y', ROW * 0.65).text(m.sources.join(' + '));
  let start = 0;
  m.weights.forEach((w, j) => {
    const share = Math.min(1, Math.max(0, w));
    g.append('rect').attr('class', 'qpadm-segment').attr('x', LABEL + start * barW).attr('y', 4)
      .attr('width', share * barW).attr('height', ROW - 8).attr('fill', colourOf(m.sources[j]))
      .on('mousemove', (event) => showTooltip(event, `<b>${escapeHtml(m.sources[j])}</b> ${formatNumber(w, 3)}` +
        `${Number.isFinite(m.se?.[j]) ? ` ± ${formatNumber(m.se[j], 3)}` : ''}`))
      .on('mouseleave', hideTooltip);
    start += share;
    const se = m.se?.[j];
    if (Number.isFinite(se) && se > 0 && j < m.weights.length - 1) {
      const x = LABEL + start * barW;
      const lo = Math.max(LABEL, x - se * barW);
      const hi = Math.min(LABEL + barW, x + se * barW);
      g.append('line').attr('class', 'qpadm-se').attr('x1', lo).attr('x2', hi).attr('y1', ROW / 2).attr('y2', ROW / 2);
      for (const e of [lo, hi]) g.append('line').attr('class', 'qpadm-se').attr('x1', e).attr('x2', e).attr('y1', ROW / 2 - 5).attr('y2', ROW / 2 + 5);
    }
  });
  const weights = m.weights.map((w, j) => `${formatNumber(w, 2)}${Number.isFinite(m.se?.[j]) ? `±${formatNumber(m.se[j], 2)}` : ''}`).join(' / ');
  g.append('text').attr('class', m.p < 0.05 ? 'qpadm-fit rejected' : 'qpadm-fit').attr('x', LABEL + barW + 8).attr('y', ROW * 0.65)
    .text(`${weights}  p = ${formatNumber(m.p, 3)}${m.p < 0.05 ? ' (rejected)' : ''}`);
}
