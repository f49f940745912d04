// A scatter plot with axes, drawn as SVG circles up to `canvasAbove` points and on a canvas beyond (so the
// page stays fast at 50,000 samples); hover finds the nearest point with a Delaunay triangulation built on
// first use. The plot element carries data-marks = the number of points drawn, whatever the renderer.
import { select, scaleLinear, axisBottom, axisLeft, extent, Delaunay } from 'd3';
import { showTooltip, hideTooltip } from '../ui.js';
import { drawSquares } from './canvas_points.js';

export const CANVAS_ABOVE = 3000;

export function scatterPlot(parent, opts) {
  const {
    x, y, colour, width, height = width * 0.8, xLabel, yLabel, tooltip, radius = 3, hollow = () => false,
    xDomain, yDomain, background, canvasAbove = CANVAS_ABOVE, className = 'scatter',
  } = opts;
  const n = x.length;
  const margin = { top: 10, right: 12, bottom: 42, left: 54 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const valid = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) valid.push(i);
  const pad = (d) => {
    const [a, b] = d[0] === undefined ? [0, 1] : d;
    const span = b - a || Math.abs(a) || 1;
    return [a - span * 0.05, b + span * 0.05];
  };
  const sx = scaleLinear().domain(xDomain ?? pad(extent(valid, (i) => x[i]))).range([0, innerW]).nice();
  const sy = scaleLinear().domain(yDomain ?? pad(extent(valid, (i) => y[i]))).range([innerH, 0]).nice();

  const box = parent.append('div').attr('class', `plot ${className}`).style('width', `${width}px`).style('height', `${height}px`);
  const useCanvas = valid.length > canvasAbove;
  let canvas = null;
  if (useCanvas) {
    const ratio = window.devicePixelRatio || 1;
    canvas = box.append('canvas').attr('width', Math.round(innerW * ratio)).attr('height', Math.round(innerH * ratio))
      .style('left', `${margin.left}px`).style('top', `${margin.top}px`)
      .style('width', `${innerW}px`).style('height', `${innerH}px`);
  }
  const svg = box.append('svg').attr('width', width).attr('height', height);
  const g = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  if (background) background(g, sx, sy, innerW, innerH);
  g.append('g').attr('class', 'axis').attr('transform', `translate(0,${innerH})`).call(axisBottom(sx).ticks(Math.max(3, innerW / 80)));
  g.append('g').attr('class', 'axis').call(axisLeft(sy).ticks(Math.max(3, innerH / 60)));
  svg.append('text').attr('class', 'axis-label').attr('x', margin.left + innerW / 2).attr('y', height - 6).attr('text-anchor', 'middle').text(xLabel);
  svg.append('text').attr('class', 'axis-label').attr('transform', `translate(13,${margin.top + innerH / 2}) rotate(-90)`).attr('text-anchor', 'middle').text(yLabel);

  const px = new Float64Array(valid.length);
  const py = new Float64Array(valid.length);
  valid.forEach((i, k) => {
    px[k] = sx(x[i]);
    py[k] = sy(y[i]);
  });
  if (useCanvas) {
    // Drawn in a fixed shuffled order, so no population is always painted over by the ones after it.
    drawSquares(canvas.node(), innerW, innerH, px, py, (k) => colour(valid[k]),
      { size: valid.length > 20000 ? 2 : 2.6, order: shuffledIndices(valid.length) });
  } else {
    g.append('g').attr('class', 'marks').selectAll('circle').data(valid).join('circle')
      .attr('class', 'mark').attr('cx', (_, k) => px[k]).attr('cy', (_, k) => py[k]).attr('r', radius)
      .attr('fill', (i) => (hollow(i) ? 'white' : colour(i))).attr('stroke', (i) => (hollow(i) ? colour(i) : 'rgba(0,0,0,0.25)'))
      .attr('stroke-width', (i) => (hollow(i) ? 1.5 : 0.5));
  }
  box.attr('data-marks', valid.length).attr('data-renderer', useCanvas ? 'canvas' : 'svg');

  const highlight = g.append('circle').attr('class', 'highlight').attr('r', radius + 3).style('display', 'none');
  let delaunay = null;
  svg.append('rect').attr('class', 'overlay').attr('x', margin.left).attr('y', margin.top).attr('width', innerW).attr('height', innerH)
    .on('mousemove', (event) => {
      if (!valid.length || !tooltip) return;
      if (!delaunay) delaunay = new Delaunay(interleave(px, py));
      const [mx, my] = [event.offsetX - margin.left, event.offsetY - margin.top];
      const k = delaunay.find(mx, my);
      if (Math.hypot(px[k] - mx, py[k] - my) > 16) {
        highlight.style('display', 'none');
        hideTooltip();
        return;
      }
      highlight.style('display', null).attr('cx', px[k]).attr('cy', py[k]);
      showTooltip(event, tooltip(valid[k]));
    })
    .on('mouseleave', () => {
      highlight.style('display', 'none');
      hideTooltip();
    });
  return { svg, g, sx, sy, box };
}

function shuffledIndices(n) {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  let state = 0x9e3779b9;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function interleave(a, b) {
  const out = new Float64Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i];
    out[2 * i + 1] = b[i];
  }
  return out;
}

export function legend(parent, entries) {
  const el = parent.append('div').attr('class', 'legend');
  const item = el.selectAll('span.item').data(entries).join('span').attr('class', 'item');
  item.append('span').attr('class', 'swatch').style('background', (d) => d.colour);
  item.append('span').text((d) => d.label);
  return el;
}
