import test from 'node:test';
import assert from 'node:assert/strict';
import { orderSamples, dominantCluster, meanAncestry } from '../../src/lib/order.js';

test('populations follow the given order, unknown labels last, members by dominant cluster', () => {
  const pops = ['B', 'A', 'B', 'A', 'Z', 'B', null];
  // Two clusters; B is dominated by cluster 1, A by cluster 0.
  const q = [
    [0.1, 0.7, 0.3, 0.9, 0.5, 0.2, 0.5],
    [0.9, 0.3, 0.7, 0.1, 0.5, 0.8, 0.5],
  ];
  const { order, groups } = orderSamples(pops, ['A', 'B'], q);
  assert.deepEqual(order, [3, 1, 0, 5, 2, 4, 6]);
  assert.deepEqual(groups, [
    { pop: 'A', start: 0, end: 2 },
    { pop: 'B', start: 2, end: 5 },
    { pop: 'unassigned', start: 5, end: 7 },
  ]);
});

test('without q the input order within a population is kept; empty populations make no group', () => {
  const { order, groups } = orderSamples(['A', 'A', 'C'], ['C', 'B', 'A'], null);
  assert.deepEqual(order, [2, 0, 1]);
  assert.deepEqual(groups.map((g) => g.pop), ['C', 'A']);
});

test('dominant cluster and mean ancestry', () => {
  const q = [[0.2, 0.4, 1], [0.8, 0.6, 0]];
  assert.equal(dominantCluster([0, 1], q), 1);
  assert.equal(dominantCluster([2], q), 0);
  const means = meanAncestry(['P', 'P', 'R'], q);
  assert.ok(Math.abs(means.get('P')[0] - 0.3) < 1e-12);
  assert.ok(Math.abs(means.get('P')[1] - 0.7) < 1e-12);
  assert.deepEqual(means.get('R'), [1, 0]);
});
