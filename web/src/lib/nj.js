// Neighbour-joining (Saitou & Nei 1987, Mol Biol Evol 4:406), in the form of Studier & Keppler (1988):
// join the pair minimising Q(i,j) = (n-2) d(i,j) - R_i - R_j, where R_i = sum_k d(i,k).
// Returns a rooted binary tree (rooted on the last edge joined, split at its middle) for drawing, and
// the leaf order of a depth-first walk, which the Fst heat map uses to order its rows.

// A node: { name?: string, index?: number (leaf), children?: [node, node], length: number }
export function neighbourJoining(names, distances) {
  const n = names.length;
  if (n === 0) throw new Error('neighbour-joining needs at least one taxon');
  if (distances.length !== n || distances.some((row) => row.length !== n)) {
    throw new Error('neighbour-joining needs a square distance matrix');
  }
  let nodes = names.map((name, index) => ({ name, index, length: 0 }));
  if (n === 1) return { root: nodes[0], order: [0] };
  let d = distances.map((row) => row.map((v) => (Number.isFinite(v) ? v : 0)));
  while (nodes.length > 2) {
    const m = nodes.length;
    const rowSums = d.map((row) => row.reduce((a, b) => a + b, 0));
    let best = Infinity;
    let bi = 0;
    let bj = 1;
    for (let i = 0; i < m; i++) {
      for (let j = i + 1; j < m; j++) {
        const q = (m - 2) * d[i][j] - rowSums[i] - rowSums[j];
        if (q < best - 1e-12) {
          best = q;
          bi = i;
          bj = j;
        }
      }
    }
    // Branch lengths from the new node u to i and j (Saitou & Nei 1987, eq. 9/10).
    const li = d[bi][bj] / 2 + (rowSums[bi] - rowSums[bj]) / (2 * (m - 2));
    const lj = d[bi][bj] - li;
    nodes[bi].length = li;
    nodes[bj].length = lj;
    const joined = { children: [nodes[bi], nodes[bj]], length: 0 };
    const rest = [];
    for (let k = 0; k < m; k++) if (k !== bi && k !== bj) rest.push(k);
    const newRow = rest.map((k) => (d[bi][k] + d[bj][k] - d[bi][bj]) / 2);
    d = rest.map((k, a) => [...rest.map((l) => d[k][l]), newRow[a]]);
    d.push([...newRow, 0]);
    nodes = [...rest.map((k) => nodes[k]), joined];
  }
  const edge = d[0][1];
  nodes[0].length = edge / 2;
  nodes[1].length = edge / 2;
  const root = { children: [nodes[0], nodes[1]], length: 0 };
  return { root, order: leafOrder(root) };
}

export function leafOrder(root) {
  const order = [];
  const walk = (node) => {
    if (node.children) node.children.forEach(walk);
    else order.push(node.index);
  };
  walk(root);
  return order;
}

// Sum of branch lengths on the path between every two leaves (the tree's additive distances).
export function patristicDistances(root, n) {
  const out = Array.from({ length: n }, () => new Array(n).fill(0));
  const collect = (node) => {
    // Returns [[leafIndex, distance from node], ...] for the subtree under node.
    if (!node.children) return [[node.index, 0]];
    const lists = node.children.map((child) =>
      collect(child).map(([leaf, dist]) => [leaf, dist + child.length]),
    );
    for (let a = 0; a < lists.length; a++) {
      for (let b = a + 1; b < lists.length; b++) {
        for (const [x, dx] of lists[a]) {
          for (const [y, dy] of lists[b]) {
            out[x][y] = dx + dy;
            out[y][x] = dx + dy;
          }
        }
      }
    }
    return lists.flat();
  };
  collect(root);
  return out;
}
