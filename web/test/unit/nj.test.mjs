import test from 'node:test';
import assert from 'node:assert/strict';
import { neighbourJoining, patristicDistances } from '../../src/lib/nj.js';

// The five-taxon example of Saitou & Nei's method as worked on Wikipedia ("Neighbor joining"): the matrix is
// additive, so NJ must return a tree whose path lengths reproduce it exactly.
const names = ['a', 'b', 'c', 'd', 'e'];
const D = [
  [0, 5, 9, 9, 8],
  [5, 0, 10, 10, 9],
  [9, 10, 0, 8, 7],
  [9, 10, 8, 0, 3],
  [8, 9, 7, 3, 0],
];

function findParentOf(root, leafIndex) {
  let found = null;
  const walk = (node) => {
    if (!node.children) return;
    if (node.children.some((c) => !c.children && c.index === leafIndex)) found = node;
    node.children.forEach(walk);
  };
  walk(root);
  return found;
}

test('NJ joins a and b first with branch lengths 2 and 3', () => {
  const { root } = neighbourJoining(names, D);
  const parent = findParentOf(root, 0);
  const leaves = parent.children.filter((c) => !c.children).map((c) => [c.name, c.length]);
  assert.deepEqual(leaves.sort(), [['a', 2], ['b', 3]]);
});

test('NJ reproduces an additive matrix as tree path lengths', () => {
  const { root, order } = neighbourJoining(names, D);
  const P = patristicDistances(root, 5);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) assert.ok(Math.abs(P[i][j] - D[i][j]) < 1e-12, `${i},${j}`);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
  // Sister taxa are adjacent in the leaf order.
  const at = (x) => order.indexOf(x);
  assert.equal(Math.abs(at(0) - at(1)), 1);
  assert.equal(Math.abs(at(3) - at(4)), 1);
});

test('NJ on a random additive tree recovers every path length', () => {
  // Caterpillar tree with 8 leaves and seeded branch lengths.
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) + 0.1;
  const n = 8;
  const leafLen = Array.from({ length: n }, rand);
  const spine = Array.from({ length: n }, rand);
  const pos = [0];
  for (let i = 1; i < n; i++) pos.push(pos[i - 1] + spine[i]);
  const M = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 0 : leafLen[i] + leafLen[j] + Math.abs(pos[i] - pos[j]))));
  const { root } = neighbourJoining(M.map((_, i) => `t${i}`), M);
  const P = patristicDistances(root, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.ok(Math.abs(P[i][j] - M[i][j]) < 1e-9);
});

test('NJ handles one and two taxa and rejects a ragged matrix', () => {
  assert.deepEqual(neighbourJoining(['x'], [[0]]).order, [0]);
  const two = neighbourJoining(['x', 'y'], [[0, 0.4], [0.4, 0]]);
  assert.deepEqual(two.order, [0, 1]);
  assert.equal(two.root.children[0].length + two.root.children[1].length, 0.4);
  assert.throws(() => neighbourJoining(['x', 'y'], [[0, 1]]), /square/);
});
