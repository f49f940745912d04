// The frequency service's page (`genomap serve`, GET /): a search box; a variant's allele frequencies per
// population as a table and as pies on the map (pie_map.js, shared with the report). Talks only to the server
// it came from (/v1/...); everything else is inlined at build time.
import { select } from 'd3';
import { section, card, table, missing, formatCount } from './ui.js';
import { pieMap } from './charts/pie_map.js';
import './style.css';

const ALT_COLOUR = '#E15759';
const REF_COLOUR = '#4E79A7';

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { error: `the server answered ${response.status} without JSON` };
  }
  return { ok: response.ok, status: response.status, body };
}

function frequencyText(value) {
  return value === null || value === undefined ? 'NA' : String(value);
}

export async function renderService(app) {
  const nav = select(app).append('nav').attr('class', 'top-nav');
  nav.append('span').attr('class', 'brand').text('genomap');
  nav.append('span').attr('class', 'nav-title').text('allele frequencies');
  const main = select(app).append('main');
  const [release, populations] = await Promise.all([getJson('/v1/release'), getJson('/v1/populations')]);
  const s = section(main.node(), 'search', 'Allele frequencies by population',
    release.ok ? `Release ${release.body.version}: ${formatCount(release.body.variants)} variants, ` +
      `${formatCount(release.body.samples_counted)} samples in ${release.body.populations} populations. ` +
      `Counts are multiples of ${release.body.min_count}; frequencies are rounded. Nothing about any one person is published.`
      : 'The release could not be read.');
  const form = s.append('form').attr('class', 'controls search').attr('id', 'search');
  const input = form.append('input').attr('id', 'query').attr('size', 40).attr('autocomplete', 'off')
    .attr('aria-label', 'variant').attr('placeholder', 'rs123, 1:752566 or 1:752566:A:G');
  form.append('button').attr('type', 'submit').text('Search');
  const message = s.append('p').attr('class', 'message').attr('id', 'message');
  const result = s.append('div').attr('id', 'result');

  const pops = populations.ok ? populations.body.populations : [];
  const places = pops.filter((p) => Number.isFinite(p.latitude) && Number.isFinite(p.longitude) && p.samples > 0)
    .map((p) => ({ name: p.name, lat: p.latitude, lon: p.longitude, n: p.samples }));
  const mapCard = card(s, 'On the map', { wide: true,
    note: `Each pie is a population at its place, its area by the number of samples: ALT allele in red, REF in blue.` });
  let map = null;
  if (places.length) map = pieMap(mapCard, places, { slicesOf: () => null });
  else missing(mapCard, 'No population of this release has coordinates.');

  async function search(query) {
    message.text('');
    result.selectAll('*').remove();
    if (!query) return;
    const answer = await getJson(`/v1/variant/${encodeURIComponent(query)}`);
    if (!answer.ok) {
      message.text(answer.body?.error ?? `error ${answer.status}`);
      if (map) map.setSlices(() => null);
      return;
    }
    const variants = answer.body.variants;
    for (const v of variants) {
      const body = card(result, `${v.id} · ${v.chrom}:${v.pos} ${v.ref}>${v.alt}`);
      table(body, ['population', 'samples', 'ALT frequency'],
        v.frequencies.map((f) => {
          const pop = pops.find((p) => p.name === f.population);
          return [f.population, pop ? formatCount(pop.samples) : 'NA', frequencyText(f.allele_frequency)];
        }), { numeric: [1, 2] }).attr('class', 'frequencies');
    }
    const first = variants[0];
    if (map) {
      map.setSlices((place) => {
        const f = first.frequencies.find((x) => x.population === place.name);
        if (!f || f.allele_frequency === null) return null;
        return [{ value: f.allele_frequency, colour: ALT_COLOUR, label: 'ALT' },
          { value: 1 - f.allele_frequency, colour: REF_COLOUR, label: 'REF' }];
      });
    }
  }

  form.on('submit', (event) => {
    event.preventDefault();
    document.body.dataset.ready = 'false';
    search(input.property('value').trim()).finally(() => { document.body.dataset.ready = 'true'; });
  });
  document.body.dataset.ready = 'true';
}

renderService(document.getElementById('app')).catch((error) => {
  document.getElementById('app').textContent = `The page failed: ${error.message}`;
  document.body.dataset.ready = 'true';
});
