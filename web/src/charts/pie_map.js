// A map with one pie per place: the world outline (Natural Earth via world-atlas, inlined at build time), a
// projection fitted to the places, pie area proportional to `n`, overlapping pies pushed apart with leader
// lines to the true places; zoom and pan (d3.zoom: the buttons, dragging, ctrl + wheel, a double click) enlarge
// the land while the pies keep their size and stay at their places. Shared by the report's ancestry map and the frequency service's page: the caller
// says what the slices are. Returns { setSlices(slicesOf) } to redraw the slices (e.g. another K or variant).
// Optional `links` ([{ from, to, width, title }], place names) are drawn as lines between the pies, beneath
// them (the report's strongest IBD sharing between populations).
import { geoNaturalEarth1, geoPath, geoGraticule10, pie as d3pie, arc as d3arc, select, zoom as d3zoom, zoomIdentity } from 'd3';
import { feature, mesh } from 'topojson-client';
import world50 from 'world-atlas/countries-50m.json';
import world110 from 'world-atlas/countries-110m.json';
import { escapeHtml, widthOf, showTooltip, hideTooltip, formatCount } from '../ui.js';
import { layoutPies } from '../lib/pie_layout.js';

let mapCount = 0;

// places: [{ name, lat, lon, n, source? }] with valid coordinates and n > 0.
// slicesOf(place) -> [{ value, colour, label }] or null; tooltipOf(place, slices) -> extra HTML.
export function pieMap(parent, places, { slicesOf, tooltipOf = () => '', labelsUpTo = 24, links = [] } = {}) {
  const width = widthOf(parent, 900);
  const height = Math.round(Math.min(620, Math.max(320, width * 0.56)));
  const target = fitTarget(places);
  const projection = geoNaturalEarth1().precision(0.5).fitExtent([[24, 24], [width - 24, height - 24]], target);
  // The 1:50m outline for regional maps; at continental and world scale 1:110m looks the same and draws faster.
  const world = target.lonSpan > 100 ? world110 : world50;
  const path = geoPath(projection);
  const clipId = `map-clip-${++mapCount}`;
  const box = parent.append('div').attr('class', 'plot map');
  const svg = box.append('svg').attr('width', width).attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.append('clipPath').attr('id', clipId).append('rect').attr('width', width).attr('height', height);
  const base = svg.append('g').attr('clip-path', `url(#${clipId})`);
  base.append('rect').attr('class', 'ocean').attr('width', width).attr('height', height);
  const geo = base.append('g').attr('class', 'geo');
  geo.append('path').attr('class', 'graticule').attr('d', path(geoGraticule10()));
  const countries = feature(world, world.objects.countries).features;
  geo.append('g').attr('class', 'countries').selectAll('path').data(countries).join('path').attr('class', 'land').attr('d', path);
  geo.append('path').attr('class', 'borders').attr('d', path(mesh(world, world.objects.countries, (a, b) => a !== b)));

  const nMax = Math.max(...places.map((p) => p.n));
  // The largest pie shrinks as the map gets more crowded: about a sixth of each place's share of the area.
  const rMax = Math.max(10, Math.min(34, 0.16 * Math.sqrt((width * height) / places.length)));
  const items = places.map((p) => {
    const [x, y] = projection([p.lon, p.lat]);
    return { x, y, r: Math.max(5, rMax * Math.sqrt(p.n / nMax)), place: p };
  });
  const positions = layoutPies(items, { padding: 2 });
  const itemOf = new Map(items.map((d) => [d.place.name, d]));
  const linked = links.filter((l) => itemOf.has(l.from) && itemOf.has(l.to) && l.from !== l.to);
  const linkLines = svg.append('g').attr('class', 'links').selectAll('line.link').data(linked).join('line').attr('class', 'link')
    .attr('data-from', (l) => l.from).attr('data-to', (l) => l.to).attr('stroke-width', (l) => l.width ?? 2)
    .on('mousemove', (event, l) => showTooltip(event, l.title ?? `${escapeHtml(l.from)} – ${escapeHtml(l.to)}`))
    .on('mouseleave', hideTooltip);
  const pies = svg.append('g').attr('class', 'pies').selectAll('g.pie').data(items).join('g').attr('class', 'pie')
    .attr('data-pop', (d) => d.place.name);
  // Leader lines from a moved pie's rim to its true place, and the places themselves, above the pies so a
  // place covered by a neighbour's pie still shows.
  const moved = items.map((d, i) => ({ d, p: positions[i] })).filter(({ p }) => p.moved);
  const marks = svg.append('g').attr('class', 'places');
  const leaders = marks.selectAll('line.leader').data(moved).join('line').attr('class', 'leader');
  const dots = marks.selectAll('circle.place').data(moved.map((m) => m.d)).join('circle').attr('class', 'place').attr('r', 2.2);
  const labels = places.length <= labelsUpTo
    ? marks.selectAll('text.pie-label').data(items).join('text').attr('class', 'pie-label').attr('text-anchor', 'middle').text((d) => d.place.name)
    : null;
  // Everything at its place under the zoom transform `t`: the land scales, pies and marks keep their size.
  const index = new Map(items.map((d, i) => [d, i]));
  function place(t) {
    geo.attr('transform', t.toString());
    svg.attr('data-zoom', t.k);
    const centre = (d) => t.apply([positions[index.get(d)].x, positions[index.get(d)].y]);
    pies.attr('transform', (d) => `translate(${centre(d)[0]},${centre(d)[1]})`);
    linkLines.attr('x1', (l) => centre(itemOf.get(l.from))[0]).attr('y1', (l) => centre(itemOf.get(l.from))[1])
      .attr('x2', (l) => centre(itemOf.get(l.to))[0]).attr('y2', (l) => centre(itemOf.get(l.to))[1]);
    const leaderEnds = ({ d }) => {
      const [tx, ty] = t.apply([d.x, d.y]);
      const [px, py] = centre(d);
      const f = Math.min(1, d.r / (Math.hypot(tx - px, ty - py) || 1));
      return [tx, ty, px + (tx - px) * f, py + (ty - py) * f];
    };
    leaders.attr('x1', (m) => leaderEnds(m)[0]).attr('y1', (m) => leaderEnds(m)[1])
      .attr('x2', (m) => leaderEnds(m)[2]).attr('y2', (m) => leaderEnds(m)[3]);
    dots.attr('cx', (d) => t.apply([d.x, d.y])[0]).attr('cy', (d) => t.apply([d.x, d.y])[1]);
    if (labels) labels.attr('x', (d) => centre(d)[0]).attr('y', (d) => centre(d)[1] + d.r + 11);
  }
  // The wheel zooms only with ctrl (or cmd) held, so scrolling the report is not caught by the map.
  const zoom = d3zoom().scaleExtent([1, 16]).extent([[0, 0], [width, height]]).translateExtent([[0, 0], [width, height]])
    .filter((event) => (event.type !== 'wheel' || event.ctrlKey || event.metaKey) && !event.button)
    .on('zoom', (event) => place(event.transform));
  svg.call(zoom);
  place(zoomIdentity);
  const buttons = box.append('div').attr('class', 'zoom-buttons');
  for (const [label, name, act] of [['+', 'in', () => svg.call(zoom.scaleBy, 2)],
    ['−', 'out', () => svg.call(zoom.scaleBy, 0.5)],
    ['⟲', 'reset', () => svg.call(zoom.transform, zoomIdentity)]]) {
    buttons.append('button').attr('type', 'button').attr('class', `zoom-${name}`).attr('title', `zoom ${name}`).text(label).on('click', act);
  }

  const layout = d3pie().sort(null).value((s) => s.value);
  function setSlices(next) {
    pies.each(function (d) {
      const g = select(this);
      g.selectAll('*').remove();
      const slices = (next(d.place) ?? []).filter((s) => Number.isFinite(s.value) && s.value > 0);
      const arc = d3arc().innerRadius(0).outerRadius(d.r);
      if (slices.length) g.selectAll('path').data(layout(slices)).join('path').attr('d', arc).attr('fill', (a) => a.data.colour);
      else g.append('circle').attr('class', 'pie-empty').attr('r', d.r);
      g.append('circle').attr('class', 'pie-rim').attr('r', d.r);
      g.on('mousemove', (event) => {
        const p = d.place;
        showTooltip(event, `<b>${escapeHtml(p.name)}</b> · ${formatCount(p.n)} samples<br>${p.lat.toFixed(2)}°, ${p.lon.toFixed(2)}°` +
          `${tooltipOf(p, slices)}${p.source ? `<br><span class="dim">${escapeHtml(p.source)}</span>` : ''}`);
      }).on('mouseleave', hideTooltip);
    });
  }
  setSlices(slicesOf ?? (() => null));
  return { setSlices, svg };
}

// The area to show: the places' bounding box widened by a margin, as a set of points (no winding order).
function fitTarget(places) {
  const lats = places.map((p) => p.lat);
  const lons = places.map((p) => p.lon);
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
