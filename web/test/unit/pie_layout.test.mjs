import test from 'node:test';
import assert from 'node:assert/strict';
import { layoutPies, minimumGap } from '../../src/lib/pie_layout.js';

test('pies that do not overlap stay where they are', () => {
  const items = [{ x: 0, y: 0, r: 10 }, { x: 100, y: 0, r: 20 }, { x: 0, y: 100, r: 5 }];
  const out = layoutPies(items);
  out.forEach((p, i) => {
    assert.equal(p.x, items[i].x);
    assert.equal(p.y, items[i].y);
    assert.equal(p.moved, false);
  });
});

test('overlapping and coincident pies are separated by at least the padding', () => {
  let seed = 3;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const items = Array.from({ length: 40 }, () => ({ x: 300 + 80 * rand(), y: 200 + 60 * rand(), r: 6 + 14 * rand() }));
  items.push({ x: 320, y: 220, r: 10 }, { x: 320, y: 220, r: 10 });
  const out = layoutPies(items, { padding: 1.5 });
  assert.ok(minimumGap(items, out) >= 1.5 - 1e-6, `gap ${minimumGap(items, out)}`);
  assert.ok(out.some((p) => p.moved));
  // Each pie stays in the neighbourhood of its place (the cluster spans ~100 px).
  out.forEach((p, i) => assert.ok(Math.hypot(p.x - items[i].x, p.y - items[i].y) < 200));
});

test('two overlapping pies move symmetrically apart, the larger less', () => {
  const items = [{ x: 0, y: 0, r: 10 }, { x: 5, y: 0, r: 30 }];
  const out = layoutPies(items, { padding: 0 });
  assert.ok(Math.abs(minimumGap(items, out)) < 1e-6 || minimumGap(items, out) > 0);
  assert.ok(Math.abs(out[0].x) > Math.abs(out[1].x - 5));
  assert.equal(out[0].y, 0);
});
