// Consent (samples analysed and excluded by reason) and provenance (version, command, inputs with hashes,
// parameters, step timings).
import { section, card, missing, formatCount, formatNumber, table } from '../ui.js';
import { rowsToTsv } from '../lib/tsv.js';

export function drawConsent(root, data) {
  const c = data.consent;
  if (!c) return;
  const s = section(root, 'consent', 'Consent', null);
  const excluded = c.excluded ?? [];
  const total = (c.analysed ?? 0) + excluded.reduce((a, e) => a + (e.n ?? 0), 0);
  const rows = [['analysed', c.analysed ?? 0], ...excluded.map((e) => [`excluded: ${e.reason}`, e.n ?? 0])];
  const body = card(s, `Samples by consent for purpose ${c.purpose ?? ''}`, {
    tsv: { name: 'consent', text: () => rowsToTsv(['STATUS', 'SAMPLES'], rows) },
    note: 'Only samples whose recorded consent covers the purpose were analysed; the others were left out before any step ran.',
  });
  const bar = body.append('div').attr('class', 'consent-bar');
  rows.forEach(([label, n], i) => {
    bar.append('span').attr('class', i === 0 ? 'seg analysed' : `seg excluded e${i % 4}`).style('flex-grow', n || 0).attr('title', `${label}: ${n}`);
  });
  table(body, ['', 'samples', 'share'], rows.map(([label, n]) => [label, formatCount(n), total ? `${((100 * n) / total).toFixed(1)}%` : 'NA']), { numeric: [1, 2] });
}

export function drawProvenance(root, data) {
  const s = section(root, 'provenance', 'Provenance', null);
  const p = data.provenance;
  if (!p) return missing(s, 'No provenance was recorded.');
  const grid = s.append('div').attr('class', 'grid two');
  const run = card(grid, 'Run', { tsv: { name: 'parameters', text: () => rowsToTsv(['PARAMETER', 'VALUE'], Object.entries(p.parameters ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v])) } });
  const dl = run.append('dl').attr('class', 'facts');
  const fact = (k, v) => {
    if (v === undefined || v === null) return;
    dl.append('dt').text(k);
    dl.append('dd').text(v);
  };
  fact('genomap version', p.version);
  fact('started', p.started);
  fact('command', p.command);
  dl.select('dd:last-of-type').attr('class', 'code');
  const params = Object.entries(p.parameters ?? {});
  if (params.length) table(run, ['parameter', 'value'], params.map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));

  const steps = p.steps ?? [];
  const stepCard = card(grid, 'Steps', { tsv: { name: 'steps', text: () => rowsToTsv(['STEP', 'SECONDS', 'CACHED'], steps.map((x) => [x.name, x.seconds, x.cached])) } });
  const totalSeconds = steps.reduce((a, x) => a + (x.seconds ?? 0), 0);
  const maxSeconds = Math.max(1e-9, ...steps.map((x) => x.seconds ?? 0));
  const list = stepCard.append('div').attr('class', 'steps');
  steps.forEach((x) => {
    const row = list.append('div').attr('class', 'step');
    row.append('span').attr('class', 'step-name').text(x.name);
    row.append('span').attr('class', 'pop-bar').append('span').style('width', `${(100 * (x.seconds ?? 0)) / maxSeconds}%`);
    row.append('span').attr('class', 'step-time').text(x.cached ? 'cached' : `${formatNumber(x.seconds ?? 0, 2)} s`);
  });
  stepCard.append('p').attr('class', 'note').text(`Total ${formatNumber(totalSeconds, 1)} s.`);

  const inputs = p.inputs ?? [];
  const inCard = card(s, 'Inputs', { wide: true, tsv: { name: 'inputs', text: () => rowsToTsv(['PATH', 'BYTES', 'HASH'], inputs.map((x) => [x.path, x.bytes, x.hash])) } });
  table(inCard, ['file', 'bytes', 'hash'], inputs.map((x) => [x.path, formatCount(x.bytes), x.hash ?? '']), { numeric: [1] });
}
