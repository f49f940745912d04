// The report page: reads the data document (docs/report-data.md) from the page and draws every section.
import { select } from 'd3';
import { orderSamples } from './lib/order.js';
import { populationColour } from './lib/palette.js';
import { drawHeader } from './charts/header.js';
import { drawPca } from './charts/pca.js';
import { drawAdmixture } from './charts/admixture.js';
import { drawMap } from './charts/map.js';
import { drawKinship } from './charts/kinship.js';
import { drawHistory } from './charts/history.js';
import { drawGwas } from './charts/gwas.js';
import { drawConsent, drawProvenance } from './charts/provenance.js';
import './style.css';

const SECTIONS = [
  ['overview', 'Overview'], ['map', 'Map'], ['ancestry', 'Ancestry'], ['pca', 'PCA'], ['relatedness', 'Relatedness'],
  ['history', 'History'], ['gwas', 'Association'], ['consent', 'Consent'], ['provenance', 'Provenance'],
];

function readData() {
  const el = document.getElementById('genomap-data');
  if (!el) throw new Error('the page has no data element (#genomap-data)');
  return JSON.parse(el.textContent);
}

export function renderReport(app, data) {
  const pops = (data.dataset?.populations ?? []).map((p) => p.name);
  const rank = new Map(pops.map((name, i) => [name, i]));
  const populationColourOf = (name) => populationColour(rank.has(name) ? rank.get(name) : -1);
  const legendEntries = pops.map((name) => ({ label: name, colour: populationColourOf(name) }));
  if (data.dataset?.unassigned) legendEntries.push({ label: 'unassigned', colour: populationColourOf(null) });
  const ks = data.admixture?.ks ?? [];
  const highest = ks.reduce((a, e) => (!a || e.k > a.k ? e : a), null);
  const sampleOrder = orderSamples(data.samples?.pop ?? [], pops, highest?.q ?? null);
  document.title = `${data.title ?? data.dataset?.name ?? 'genomap'} · genomap report`;

  const nav = select(app).append('nav').attr('class', 'top-nav');
  nav.append('span').attr('class', 'brand').text('genomap');
  const main = select(app).append('main').node();
  const steps = [
    ['header', () => drawHeader(main, data, populationColourOf)],
    ['map', () => drawMap(main, data)],
    ['ancestry', () => drawAdmixture(main, data, sampleOrder)],
    ['pca', () => drawPca(main, data, populationColourOf, legendEntries)],
    ['relatedness', () => drawKinship(main, data)],
    ['history', () => drawHistory(main, data, populationColourOf)],
    ['gwas', () => drawGwas(main, data)],
    ['consent', () => drawConsent(main, data)],
    ['provenance', () => drawProvenance(main, data)],
  ];
  // Milliseconds each section took to draw, for the browser test's report.
  const timings = {};
  window.genomapTimings = timings;
  for (const [name, step] of steps) {
    const started = performance.now();
    try {
      step();
      timings[name] = Math.round(performance.now() - started);
    } catch (error) {
      console.error('genomap report: a section failed to draw:', error);
      select(main).append('p').attr('class', 'missing error').text(`A section could not be drawn: ${error.message}`);
    }
  }
  for (const [id, label] of SECTIONS) {
    if (document.getElementById(id)) nav.append('a').attr('href', `#${id}`).text(label);
  }
  select(app).append('footer').text(`Made by genomap ${data.provenance?.version ?? ''}. Everything on this page is inside this one file; it needs no network.`);
}

function start() {
  const app = document.getElementById('app');
  let data;
  try {
    data = readData();
  } catch (error) {
    app.textContent = `This report's data could not be read: ${error.message}`;
    throw error;
  }
  const parsed = performance.now();
  renderReport(app, data);
  // Milliseconds from the start of navigation: the data parsed, and the whole page drawn.
  Object.assign(window.genomapTimings, { data_parsed: Math.round(parsed), ready: Math.round(performance.now()) });
  document.body.setAttribute('data-ready', 'true');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
