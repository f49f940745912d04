// The map: the world outline (Natural Earth via world-atlas, inlined at build time), a projection fitted to
// the populations' sampling places, and one pie of mean ancestry per population at a K the reader chooses.
// Pie area is proportional to the number of samples; overlapping pies are pushed apart, and a leader line
// joins each moved pie to its true place.
import { geoNaturalEarth1, geoPath, geoGraticule10, pie as d3pie, arc as d3arc, select } from 'd3';
import { feature, mesh } from 'topojson-client';
import world50 from 'world-atlas/countries-50m.json';
import world110 from 'world-atlas/countries-110m.json';
import { section, card, missing, escapeHtml, widthOf, showTooltip, hideTooltip, formatCount } from '../ui.js';
import { ancestryColour } from '../lib/palette.js';
import { meanAncestry } from '../lib/order.js';
import { layoutPies } from '../lib/pie_layout.js';
import { rowsToTsv } from '../lib/tsv.js';

export function placedPopulations(data) {
  return (data.dataset?.populations ?? []).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) &&
    Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && (p.n ?? 0) > 0);
}

export function drawMap(root, data) {
  const s = section(root, 'map', 'The genetic map',
    'One pie per population at its sampling place: the slices are the population\'s mean ancestry at the chosen K, and the pie\'s area grows with the number of samples. ' +
    'Pies that would overlap are moved apart; a thin line leads back to the true place.');
  const placed = placedPopulations(data);
  if (!placed.length) return missing(s, 'No population has coordinates (give --pop-coords to draw the map).');
  const adm = data.admixture;
  const ks = adm?.ks ?? [];
  let current = ks.find((e) => e.k === adm?.best_k) ?? ks[ks.length - 1] ?? null;

  const body = card(s, 'Populations on the map', {
    wide: true,
    tsv: { name: 'map', text: () => mapTsv(placed, data, current) },
  });
  const controls = body.append('div').attr('class', 'controls');
  if (ks.length) {
    controls.append('span').attr('class', 'control-label').text('K');
    controls.selectAll('button').data(ks).join('button').attr('type', 'button').attr('class', 'k-button')
      .attr('data-k', (e) => e.k).classed('active', (e) => e === current).text((e) => e.k)
      .on('click', (_, e) => {
        current = e;
        controls.selectAll('button.k-button').classed('active', (x) => x === current);
        drawSlices();
      });
  }
  const legendEl = controls.append('span').attr('class', 'legend inline');

  const width = widthOf(body, 900);
  const height = Math.round(Math.min(620, Math.max(320, width * 0.56)));
  const target = fitTarget(placed);
  const projection = geoNaturalEarth1().precision(0.5).fitExtent([[24, 24], [width - 24, height - 24]], target);
  // The 1:50m outline for regional maps; at continental and world scale 1:110m looks the same and draws faster.
  const world = target.lonSpan > 100 ? world110 : world50;
  const path = geoPath(projection);
  const svg = body.append('div').attr('class', 'plot map').append('svg').attr('width', width).attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.append('clipPath').attr('id', 'map-clip').append('rect').attr('width', width).attr('height', height);
  const base = svg.append('g').attr('clip-path', 'url(#map-clip)');
  base.append('rect').attr('class', 'ocean').attr('width', width).attr('height', height);
  base.append('path').attr('class', 'graticule').attr('d', path(geoGraticule10()));
  const countries = feature(world, world.objects.countries).features;
  base.append('g').attr('class', 'countries').selectAll('path').data(countries).join('path').attr('class', 'land').attr('d', path);
  base.append('path').attr('class', 'borders').attr('d', path(mesh(world, world.objects.countries, (a, b) => a !== b)));

  const nMax = Math.max(...placed.map((p) => p.n));
  const rMax = Math.max(12, Math.min(34, width / 30)) * (placed.length > 30 ? 0.7 : 1);
  const items = placed.map((p) => {
    const [x, y] = projection([p.lon, p.lat]);
    return { x, y, r: Math.max(5, rMax * Math.sqrt(p.n / nMax)), pop: p };
  });
  const positions = layoutPies(items, { padding: 2 });
  const layer = svg.append('g').attr('class', 'pies');
  const pies = layer.selectAll('g.pie').data(items).join('g').attr('class', 'pie').attr('data-pop', (d) => d.pop.name)
    .attr('transform', (_, i) => `translate(${positions[i].x},${positions[i].y})`);
  // Leader lines from a moved pie's rim to its true place, and the places themselves, above the pies so a
  // place covered by a neighbour's pie still shows.
  const moved = items.map((d, i) => ({ d, p: positions[i] })).filter(({ p }) => p.moved);
  const rimPoint = ({ d, p }) => {
    const length = Math.hypot(d.x - p.x, d.y - p.y) || 1;
    const t = Math.min(1, d.r / length);
    return [p.x + (d.x - p.x) * t, p.y + (d.y - p.y) * t];
  };
  const marks = svg.append('g').attr('class', 'places');
  marks.selectAll('line.leader').data(moved).join('line').attr('class', 'leader')
    .attr('x1', (m) => m.d.x).attr('y1', (m) => m.d.y).attr('x2', (m) => rimPoint(m)[0]).attr('y2', (m) => rimPoint(m)[1]);
  marks.selectAll('circle.place').data(moved.map((m) => m.d)).join('circle').attr('class', 'place').attr('cx', (d) => d.x).attr('cy', (d) => d.y).attr('r', 2.2);
  if (placed.length <= 24) {
    marks.selectAll('text.pie-label').data(items).join('text').attr('class', 'pie-label')
      .attr('x', (_, i) => positions[i].x).attr('y', (d, i) => positions[i].y + d.r + 11).attr('text-anchor', 'middle').text((d) => d.pop.name);
  }

  function drawSlices() {
    const means = current ? meanAncestry(data.samples?.pop ?? [], current.q) : new Map();
    const order = current ? current.q.map((_, j) => j).sort((a, b) => (current.colour?.[a] ?? a) - (current.colour?.[b] ?? b)) : [];
    const layout = d3pie().sort(null).value((j) => j.v);
    pies.each(function (d) {
      const g = select(this);
      g.selectAll('*').remove();
      const m = means.get(d.pop.name);
      const slices = m ? order.map((j) => ({ j, v: m[j] })) : [];
      const arc = d3arc().innerRadius(0).outerRadius(d.r);
      if (slices.length) {
        g.selectAll('path').data(layout(slices)).join('path').attr('d', arc).attr('fill', (a) => ancestryColour(current.colour?.[a.data.j] ?? a.data.j));
      }
      g.append('circle').attr('class', 'pie-rim').attr('r', d.r);
      g.on('mousemove', (event) => {
        const parts = m ? order.map((j) => `<span class="swatch" style="background:${ancestryColour(current.colour?.[j] ?? j)}"></span>${(100 * m[j]).toFixed(1)}%`).join(' ') : 'no ancestry data';
        showTooltip(event, `<b>${escapeHtml(d.pop.name)}</b> · ${formatCount(d.pop.n)} samples<br>${d.pop.lat.toFixed(2)}°, ${d.pop.lon.toFixed(2)}°` +
          `${current ? `<br>K=${current.k}: ${parts}` : ''}${d.pop.source ? `<br><span class="dim">${escapeHtml(d.pop.source)}</span>` : ''}`);
      }).on('mouseleave', hideTooltip);
    });
    legendEl.selectAll('*').remove();
    order.forEach((j) => {
      const item = legendEl.append('span').attr('class', 'item');
      item.append('span').attr('class', 'swatch').style('background', ancestryColour(current.colour?.[j] ?? j));
      item.append('span').text(`component ${(current.colour?.[j] ?? j) + 1}`);
    });
  }
  drawSlices();

  const unplaced = (data.dataset?.populations ?? []).filter((p) => !placed.includes(p)).map((p) => p.name);
  if (unplaced.length) body.append('p').attr('class', 'note').text(`Not on the map (no coordinates): ${unplaced.join(', ')}.`);
}

// The area to show: the points' bounding box widened by a margin, as a set of points (no winding order).
function fitTarget(placed) {
  const lats = placed.map((p) => p.lat);
  const lons = placed.map((p) => p.lon);
  const latSpan = Math.max(...lats) - Math.min(...lats);
  const lonSpan = Math.max(...lons) - Math.min(...lons);
  const latPad = Math.max(6, latSpan * 0.18);
  const lonPad = Math.max(10, lonSpan * 0.12);
  const south = Math.max(-80, Math.min(...lats) - latPad);
  const north = Math.min(84, Math.max(...lats) + latPad);
  const west = Math.max(-180, Math.min(...lons) - lonPad);
  const east = Math.min(180, Math.max(...lons) + lonPad);
  const corners = [];
  for (let t = 0; t <= 4; t++) {
    const lon = west + ((east - west) * t) / 4;
    corners.push([lon, south], [lon, north]);
  }
  return { type: 'MultiPoint', coordinates: corners, lonSpan: east - west };
}

function mapTsv(placed, data, current) {
  const means = current ? meanAncestry(data.samples?.pop ?? [], current.q) : new Map();
  const k = current?.q.length ?? 0;
  const header = ['POP', 'LAT', 'LON', 'N', 'K', ...Array.from({ length: k }, (_, j) => `C${(current.colour?.[j] ?? j) + 1}`)];
  return rowsToTsv(header, placed.map((p) => [p.name, p.lat, p.lon, p.n, current?.k ?? null, ...(means.get(p.name) ?? new Array(k).fill(null))]));
}
