import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { YEARS_PER_GENERATION, datingSummary, binLabels, sharingValue, sharingMatrix, strongestLinks } from '../../src/lib/history.js';

const here = dirname(fileURLToPath(import.meta.url));
const example = JSON.parse(readFileSync(join(here, '../fixtures/report-data.example.json'), 'utf8'));

test('a date in generations and years, with its SE, and whether the decay supports it', () => {
  const s = datingSummary({ generations: 5.5, se: 1.5, amplitude_z: 13.8, rate_at_bound: false });
  assert.equal(YEARS_PER_GENERATION, 29);
  assert.equal(s.years, 5.5 * 29);
  assert.equal(s.yearsSe, 1.5 * 29);
  assert.equal(s.supported, true);
  assert.equal(s.reason, null);
  assert.equal(datingSummary({ generations: 5.5, se: 1.5, amplitude_z: 13.8 }, 25).years, 137.5);
  const weak = datingSummary({ generations: 40, se: 30, amplitude_z: -2.2, rate_at_bound: false });
  assert.equal(weak.supported, false);
  assert.match(weak.reason, /amplitude Z -2.2/);
  const bound = datingSummary({ generations: 5000, se: 0, amplitude_z: 9, rate_at_bound: true });
  assert.equal(bound.supported, false);
  assert.match(bound.reason, /edge of the searched range/);
  const none = datingSummary({ generations: null, se: null, amplitude_z: null });
  assert.deepEqual([none.years, none.yearsSe, none.supported], [null, null, false]);
});

test('the example document dates ASW as the HapMap3 African Americans: a few generations, a supported decay', () => {
  const [asw] = example.dates.targets;
  const s = datingSummary(asw);
  assert.equal(asw.target, 'ASW');
  assert.ok(s.supported && s.generations > 2 && s.generations < 15 && s.se > 0, JSON.stringify(s));
  const c = asw.curve;
  assert.ok(c.distance_cm.length > 100 && c.distance_cm.length <= 250);
  for (const key of ['weighted_ld', 'fitted', 'in_fit']) assert.equal(c[key].length, c.distance_cm.length, key);
  for (let i = 1; i < c.distance_cm.length; i++) assert.ok(c.distance_cm[i] > c.distance_cm[i - 1]);
});

test('bin labels from the lower edges', () => {
  assert.deepEqual(binLabels([2, 4, 6, 10]), ['2–4 cM', '4–6 cM', '6–10 cM', '≥ 10 cM']);
  assert.deepEqual(binLabels([3]), ['≥ 3 cM']);
});

test('sharing of one bin or of all bins, null without pairs', () => {
  const row = { pop1: 'A', pop2: 'B', pairs: 10, segments: [0.5, 0.25, 0, 0.1], cm: [1.5, 1.25, 0, 2] };
  assert.equal(sharingValue(row, 0), 1.5);
  assert.equal(sharingValue(row, 3, 'segments'), 0.1);
  assert.equal(sharingValue(row, 'all'), 4.75);
  assert.equal(sharingValue(row, 'all', 'segments'), 0.85);
  assert.equal(sharingValue({ ...row, pairs: 0, cm: [null, null, null, null] }, 0), null);
  assert.equal(sharingValue({ ...row, cm: [null, 1, null, null] }, 'all'), 1);
});

test('the sharing matrix is symmetric, in the order asked for, with the diagonal from within-population rows', () => {
  const ibd = {
    pops: ['A', 'B', 'C'],
    sharing: [
      { pop1: 'A', pop2: 'A', pairs: 3, segments: [1, 0, 0, 0], cm: [3, 0, 0, 0] },
      { pop1: 'A', pop2: 'B', pairs: 6, segments: [0, 1, 0, 0], cm: [0, 5, 0, 0] },
      { pop1: 'A', pop2: 'C', pairs: 3, segments: [0, 0, 0, 0], cm: [0, 0, 0, 0] },
      { pop1: 'B', pop2: 'B', pairs: 1, segments: [0, 0, 0, 1], cm: [0, 0, 0, 12] },
      { pop1: 'B', pop2: 'C', pairs: 2, segments: [0, 0, 0, 0], cm: [0, 0, 0, 0] },
      { pop1: 'C', pop2: 'C', pairs: 0, segments: [null, null, null, null], cm: [null, null, null, null] },
    ],
  };
  const m = sharingMatrix(ibd, 1, 'cm', ['C', 'B', 'X', 'A']);
  assert.deepEqual(m.pops, ['C', 'B', 'A']);
  assert.deepEqual(m.values, [[null, 0, 0], [0, 0, 5], [0, 5, 0]]);
  const all = sharingMatrix(ibd, 'all');
  assert.deepEqual(all.pops, ['A', 'B', 'C']);
  assert.equal(all.values[1][1], 12);
  assert.equal(all.values[0][0], 3);
});

test('the strongest links join placed populations only, largest sharing first, nothing for no sharing', () => {
  const row = (pop1, pop2, cm) => ({ pop1, pop2, pairs: 4, segments: cm.map((v) => v / 5), cm });
  const ibd = {
    pops: ['A', 'B', 'C', 'D'],
    sharing: [row('A', 'A', [9, 9, 9, 9]), row('A', 'B', [1, 0, 0, 0]), row('A', 'C', [0, 0, 0, 7]), row('A', 'D', [50, 0, 0, 0]),
      row('B', 'C', [0, 2, 0, 0]), row('B', 'D', [0, 0, 0, 0]), row('C', 'D', [0, 0, 3, 0])],
  };
  const links = strongestLinks(ibd, ['A', 'B', 'C']);
  assert.deepEqual(links.map((l) => `${l.a}-${l.b}`), ['A-C', 'B-C', 'A-B']);
  assert.equal(links[0].cm, 7);
  assert.equal(links[0].segments, 7 / 5);
  assert.deepEqual(strongestLinks(ibd, ['A', 'B', 'C', 'D'], { max: 2 }).map((l) => `${l.a}-${l.b}`), ['A-D', 'A-C']);
  assert.deepEqual(strongestLinks(ibd, ['A', 'B', 'C', 'D'], { bin: 3 }).map((l) => `${l.a}-${l.b}`), ['A-C']);
  // The example's table (genomap ibd on HapMap3, --maf 0.01): of the six pairs of populations only CEU-MEX
  // and ASW-YRI share segments (>= 10 cM), CEU-MEX more per pair; all four populations are placed.
  const placed = example.dataset.populations.map((p) => p.name);
  const between = example.ibd.sharing.filter((r) => r.pop1 !== r.pop2 && r.cm.some((v) => v > 0));
  assert.equal(between.length, 2);
  const hapmap = strongestLinks(example.ibd, placed);
  assert.deepEqual(hapmap.map((l) => `${l.a}-${l.b}`), ['CEU-MEX', 'ASW-YRI']);
  assert.equal(hapmap[0].cm, between.find((r) => r.pop1 === 'CEU').cm[3]);
  assert.deepEqual(strongestLinks(example.ibd, placed.filter((p) => p !== 'MEX')).map((l) => `${l.a}-${l.b}`), ['ASW-YRI']);
});
