// Moves overlapping circles (the map's pies) apart while keeping each near its true place: a few hundred
// rounds of pairwise separation along the line between centres (as a collision force would), each followed
// by a weak pull back to the anchor; the last rounds separate only, so the result has no overlap whenever
// the iterations suffice. Deterministic: coincident centres are split along a fixed angle per index.

// items: [{ x, y, r }] (pixels); returns [{ x, y, moved }] in the same order.
export function layoutPies(items, { padding = 1.5, iterations = 400, pull = 0.02 } = {}) {
  const pos = items.map(({ x, y }) => ({ x, y }));
  const n = items.length;
  const goldenAngle = Math.PI * (3 - Math.sqrt(5));
  for (let round = 0; round < iterations; round++) {
    let overlap = false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const need = items[i].r + items[j].r + padding;
        let dx = pos[j].x - pos[i].x;
        let dy = pos[j].y - pos[i].y;
        let dist = Math.hypot(dx, dy);
        if (dist >= need) continue;
        overlap = true;
        if (dist < 1e-9) {
          const angle = goldenAngle * (i + 1);
          dx = Math.cos(angle);
          dy = Math.sin(angle);
          dist = 1;
        } else {
          dx /= dist;
          dy /= dist;
        }
        // The larger pie moves less, so big populations stay closer to their true place. Pushing 0.5 px
        // beyond the need makes the separation converge in finitely many rounds.
        const shift = need + 0.5 - (dist < 1e-9 ? 0 : dist);
        const wi = items[j].r / (items[i].r + items[j].r);
        pos[i].x -= dx * shift * wi;
        pos[i].y -= dy * shift * wi;
        pos[j].x += dx * shift * (1 - wi);
        pos[j].y += dy * shift * (1 - wi);
      }
    }
    if (!overlap && round > 0) break;
    if (round < iterations * 0.75) {
      for (let i = 0; i < n; i++) {
        pos[i].x += (items[i].x - pos[i].x) * pull;
        pos[i].y += (items[i].y - pos[i].y) * pull;
      }
    }
  }
  return pos.map((p, i) => ({ ...p, moved: Math.hypot(p.x - items[i].x, p.y - items[i].y) > 0.5 }));
}

// The smallest gap between any two circles (negative when they overlap).
export function minimumGap(items, positions) {
  let gap = Infinity;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const d = Math.hypot(positions[i].x - positions[j].x, positions[i].y - positions[j].y);
      gap = Math.min(gap, d - items[i].r - items[j].r);
    }
  }
  return gap;
}
