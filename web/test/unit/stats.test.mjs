import test from 'node:test';
import assert from 'node:assert/strict';
import { chromosomeOffsets, expectedMinusLog10, compareChromosomes } from '../../src/lib/stats.js';

test('chromosomes in natural order with cumulative offsets', () => {
  const { offsets, total, ticks } = chromosomeOffsets(['2', '10', '1', 'X', '2'], [500, 100, 300, 50, 700]);
  assert.deepEqual(ticks.map((t) => t.name), ['1', '2', '10', 'X']);
  assert.equal(offsets.get('1'), 0);
  assert.equal(offsets.get('2'), 300);
  assert.equal(offsets.get('10'), 1000);
  assert.equal(offsets.get('X'), 1100);
  assert.equal(total, 1150);
  assert.ok(compareChromosomes('chr9', '11') < 0);
});

test('expected QQ quantiles', () => {
  const e = expectedMinusLog10(4);
  assert.ok(Math.abs(e[0] - -Math.log10(0.125)) < 1e-15);
  assert.ok(Math.abs(e[3] - -Math.log10(0.875)) < 1e-15);
});
