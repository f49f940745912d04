// The report's map: one pie of mean ancestry per population at its sampling place (pie_map.js), at a K the
// reader chooses.
import { section, card, missing, escapeHtml, formatNumber, formatCount } from '../ui.js';
import { ancestryColour } from '../lib/palette.js';
import { meanAncestry } from '../lib/order.js';
import { rowsToTsv } from '../lib/tsv.js';
import { pieMap } from './pie_map.js';
import { strongestLinks } from '../lib/history.js';

const LINKS_SHOWN = 10;

export function placedPopulations(data) {
  return (data.dataset?.populations ?? []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) &&
    Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && (p.n ?? 0) > 0);
}

// Column indices of one K in palette order, so slices keep their place in the pie at every K.
function paletteOrder(entry) {
  return entry.q.map((_, j) => j).sort((a, b) => (entry.colour?.[a] ?? a) - (entry.colour?.[b] ?? b));
}

export function drawMap(root, data) {
  const s = section(root, 'map', 'The genetic map',
    'One pie per population at its sampling place: the slices are the population\'s mean ancestry at the chosen K, and the pie\'s area grows with the number of samples. ' +
    'Pies that would overlap are moved apart; a thin line leads back to the true place.');
  const placed = placedPopulations(data);
  if (!placed.length) return missing(s, 'No population has coordinates (give --pop-coords to draw the map).');
  const ks = data.admixture?.ks ?? [];
  let current = ks.find((e) => e.k === data.admixture?.best_k) ?? ks[ks.length - 1] ?? null;

  const body = card(s, 'Populations on the map', { wide: true, tsv: { name: 'map', text: () => mapTsv(placed, data, current) } });
  const controls = body.append('div').attr('class', 'controls');
  const legendEl = controls.append('span').attr('class', 'legend inline');
  if (ks.length) {
    controls.insert('span', ':first-child').attr('class', 'control-label').text('K');
    controls.selectAll('button').data(ks).join((enter) => enter.insert('button', '.legend')).attr('type', 'button').attr('class', 'k-button')
      .attr('data-k', (e) => e.k).classed('active', (e) => e === current).text((e) => e.k)
      .on('click', (_, e) => {
        current = e;
        controls.selectAll('button.k-button').classed('active', (x) => x === current);
        redraw();
      });
  }
  const links = strongestLinks(data.ibd, placed.map((p) => p.name), { max: LINKS_SHOWN });
  const widest = links[0]?.cm ?? 1;
  const map = pieMap(body, placed, {
    links: links.map((l) => ({
      from: l.a, to: l.b, width: 1.5 + 6 * Math.sqrt(l.cm / widest),
      title: `<b>${escapeHtml(l.a)}</b> – <b>${escapeHtml(l.b)}</b><br>IBD shared per pair of samples: ${formatNumber(l.cm, 3)} cM in ` +
        `${formatNumber(l.segments, 4)} segments (≥ ${data.ibd.bin_edges_cm?.[0] ?? 2} cM) over ${formatCount(l.pairs)} pairs`,
    })),
    tooltipOf: (_, slices) => (current ? `<br>K=${current.k}: ${slices.map((x) => `<span class="swatch" style="background:${x.colour}"></span>${(100 * x.value).toFixed(1)}%`).join(' ')}` : ''),
  });
  function redraw() {
    const means = current ? meanAncestry(data.samples?.pop ?? [], current.q) : new Map();
    const order = current ? paletteOrder(current) : [];
    const colourOf = (j) => ancestryColour(current.colour?.[j] ?? j);
    map.setSlices((place) => {
      const m = means.get(place.name);
      return m ? order.map((j) => ({ value: m[j], colour: colourOf(j), label: `component ${(current.colour?.[j] ?? j) + 1}` })) : null;
    });
    legendEl.selectAll('*').remove();
    order.forEach((j) => {
      const item = legendEl.append('span').attr('class', 'item');
      item.append('span').attr('class', 'swatch').style('background', colourOf(j));
      item.append('span').text(`component ${(current.colour?.[j] ?? j) + 1}`);
    });
  }
  redraw();
  if (data.ibd?.sharing) {
    body.append('p').attr('class', 'note ibd-links-note').attr('data-links', links.length).text(links.length
      ? `Lines: the ${links.length === 1 ? 'pair' : `${links.length} pairs`} of populations sharing the most IBD (mean length of segments ≥ ${data.ibd.bin_edges_cm?.[0] ?? 2} cM per pair of samples; the width grows with it; at most ${LINKS_SHOWN} shown), a trace of recent migration or shared recent ancestry (Ralph & Coop 2013).`
      : 'No two populations on the map share an IBD segment, so no links are drawn.');
  }
  const unplaced = (data.dataset?.populations ?? []).filter((p) => !placed.includes(p)).map((p) => p.name);
  if (unplaced.length) body.append('p').attr('class', 'note').text(`Not on the map (no coordinates): ${unplaced.join(', ')}.`);
}

function mapTsv(placed, data, current) {
  const means = current ? meanAncestry(data.samples?.pop ?? [], current.q) : new Map();
  const k = current?.q.length ?? 0;
  const header = ['POP', 'LAT', 'LON', 'N', 'K', ...Array.from({ length: k }, (_, j) => `C${(current.colour?.[j] ?? j) + 1}`)];
  return rowsToTsv(header, placed.map((p) => [p.name, p.lat, p.lon, p.n, current?.k ?? null, ...(means.get(p.name) ?? new Array(k).fill(null))]));
}
