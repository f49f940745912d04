// Page furniture shared by every section: cards with a title and a TSV button, one tooltip, downloads.
import { select } from 'd3';

export function section(root, id, title, intro) {
  const el = select(root).append('section').attr('id', id).attr('class', 'section');
  el.append('h2').text(title);
  if (intro) el.append('p').attr('class', 'intro').text(intro);
  return el;
}

// A figure card; `tsv` is { name, text: () => string } for the download button.
export function card(parent, title, { tsv, wide = false, note } = {}) {
  const el = parent.append('figure').attr('class', wide ? 'card wide' : 'card');
  const head = el.append('figcaption');
  head.append('span').attr('class', 'card-title').text(title);
  if (tsv) {
    head
      .append('button')
      .attr('class', 'tsv')
      .attr('type', 'button')
      .attr('data-file', `${tsv.name}.tsv`)
      .attr('title', `Download the data of this figure as ${tsv.name}.tsv`)
      .text('TSV')
      .on('click', () => download(`${tsv.name}.tsv`, tsv.text()));
  }
  const body = el.append('div').attr('class', 'card-body');
  if (note) el.append('p').attr('class', 'note').text(note);
  return body;
}

// The file is made in the page (a Blob and an object URL), so nothing goes over the network.
export function download(fileName, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/tab-separated-values' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

let tooltipEl = null;
export function showTooltip(event, html) {
  if (!tooltipEl) tooltipEl = select('body').append('div').attr('class', 'tooltip').node();
  tooltipEl.innerHTML = html;
  tooltipEl.style.display = 'block';
  const pad = 14;
  const { innerWidth, innerHeight } = window;
  const rect = tooltipEl.getBoundingClientRect();
  let x = event.clientX + pad;
  let y = event.clientY + pad;
  if (x + rect.width > innerWidth - 4) x = event.clientX - rect.width - pad;
  if (y + rect.height > innerHeight - 4) y = event.clientY - rect.height - pad;
  tooltipEl.style.left = `${x}px`;
  tooltipEl.style.top = `${y}px`;
}
export function hideTooltip() {
  if (tooltipEl) tooltipEl.style.display = 'none';
}

export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// A canvas sized for the screen's pixel density; returns its 2D context scaled to CSS pixels.
export function hiDpiCanvas(parent, width, height) {
  const ratio = window.devicePixelRatio || 1;
  const canvas = parent.append('canvas').attr('width', Math.round(width * ratio)).attr('height', Math.round(height * ratio))
    .style('width', `${width}px`).style('height', `${height}px`);
  const context = canvas.node().getContext('2d');
  context.scale(ratio, ratio);
  return { canvas, context };
}

// A plain table; rows are arrays of cells (strings or numbers); `rowClass(row)` may mark rows.
export function table(parent, header, rows, { rowClass, numeric = [] } = {}) {
  const t = parent.append('div').attr('class', 'table-wrap').append('table');
  t.append('thead').append('tr').selectAll('th').data(header).join('th')
    .attr('class', (_, i) => (numeric.includes(i) ? 'num' : null)).text((d) => d);
  t.append('tbody').selectAll('tr').data(rows).join('tr')
    .attr('class', (row) => (rowClass ? rowClass(row) : null))
    .selectAll('td').data((row) => row).join('td')
    .attr('class', (_, i) => (numeric.includes(i) ? 'num' : null))
    .text((d) => d);
  return t;
}

export function missing(parent, text) {
  parent.append('p').attr('class', 'missing').text(text);
}

export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'NA';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

export function formatCount(value) {
  return Number.isFinite(value) ? value.toLocaleString('en-US') : 'NA';
}

// Width available to a figure inside its card.
export function widthOf(selection, fallback = 600) {
  const w = selection.node().getBoundingClientRect().width;
  return Math.max(240, Math.floor(w || fallback));
}
