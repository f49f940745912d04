// Small numeric helpers for the plots.

// Expected -log10 p of the i-th smallest of n uniform p-values, (i + 0.5) / n (i from 0), for the QQ plot.
export function expectedMinusLog10(n) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = -Math.log10((i + 0.5) / n);
  return out;
}

// Cumulative genome positions for a Manhattan plot: chromosomes in natural order (1..22, X, Y, XY, MT),
// each offset by the largest position of the chromosomes before it.
export function chromosomeOffsets(chrom, pos) {
  const maxPos = new Map();
  chrom.forEach((c, i) => {
    const key = String(c);
    maxPos.set(key, Math.max(maxPos.get(key) ?? 0, pos[i] ?? 0));
  });
  const names = [...maxPos.keys()].sort(compareChromosomes);
  const offsets = new Map();
  let total = 0;
  const ticks = [];
  for (const name of names) {
    offsets.set(name, total);
    ticks.push({ name, start: total, end: total + maxPos.get(name) });
    total += maxPos.get(name);
  }
  return { offsets, ticks, total };
}

const CHROMOSOME_RANK = { X: 23, Y: 24, XY: 25, MT: 26, M: 26 };
function chromosomeRank(name) {
  const bare = String(name).replace(/^chr/i, '');
  const n = Number(bare);
  if (Number.isInteger(n)) return n;
  return CHROMOSOME_RANK[bare.toUpperCase()] ?? 1000;
}
export function compareChromosomes(a, b) {
  return chromosomeRank(a) - chromosomeRank(b) || String(a).localeCompare(String(b));
}

// Kinship degree labels with KING's boundaries (Manichaikul et al. 2010): degree 0 = duplicate or MZ twin.
export function degreeLabel(degree) {
  switch (degree) {
    case 0: return 'duplicate / MZ twin';
    case 1: return '1st degree';
    case 2: return '2nd degree';
    case 3: return '3rd degree';
    default: return 'unrelated';
  }
}
