/**
 * Gradient-boosted regression trees for the logistic loss (Friedman 2001, with Newton leaf values
 * as in XGBoost), small enough to fit a few thousand labelled candidates in about a second. A tree
 * learns thresholds and interactions ("a perfect sample match is right unless a gap scores as
 * high") that a logistic regression over products of features only approximates.
 */

/** A leaf's log-odds contribution, or a split: [feature index, threshold, at or below, above]. */
export type TreeNode = number | readonly [number, number, TreeNode, TreeNode];

export interface BoostedTrees {
  /** Log-odds before any tree: the base rate of the labels. */
  readonly base: number;
  /** Each tree's leaves already scaled by the learning rate. */
  readonly trees: readonly TreeNode[];
}

export interface BoostOptions {
  readonly rounds: number;
  readonly depth: number;
  readonly learningRate: number;
  /** Fewest rows a leaf may hold: no split on a handful of questions. */
  readonly minLeaf: number;
  /** L2 penalty on leaf values. */
  readonly lambda: number;
  /** Candidate thresholds per feature, at quantiles of its values. */
  readonly bins: number;
}

export function logOdds(model: BoostedTrees, x: ArrayLike<number>): number {
  return compiled(model)(x);
}

/** Each model's trees compiled once, on first use. */
const compiledCache = new WeakMap<BoostedTrees, (x: ArrayLike<number>) => number>();
function compiled(model: BoostedTrees): (x: ArrayLike<number>) => number {
  const cached = compiledCache.get(model);
  if (cached) return cached;
  const leaves = (node: TreeNode): number =>
    typeof node === 'number' ? 1 : leaves(node[2]) + leaves(node[3]);
  // Splits are sorted by threshold: a NaN one has no place in that order (the walk sends every value right there).
  const ordered = (node: TreeNode): boolean =>
    typeof node === 'number' || (!Number.isNaN(node[1]) && ordered(node[2]) && ordered(node[3]));
  const walk = model.trees.every((t) => leaves(t) <= 32 && ordered(t)) ? quickScorer(model) : nodeWalk(model);
  compiledCache.set(model, walk);
  return walk;
}

/**
 * QuickScorer (Lucchese et al., SIGIR 2015): instead of walking each tree, visit every split of a
 * feature in ascending order of threshold and stop at the first the value does not pass; a split
 * the value exceeds rules out its left subtree's leaves from its tree's bitmask, and each tree's
 * exit leaf is then the lowest bit left. Every candidate of every question is scored by all the
 * trees; on the candidates of real questions this took a pass from 165-220 ms to 105-170 ms (this
 * machine's timings are noisy), since its loops are predictable branches over typed arrays. Same
 * leaves, summed in the same order: the same log-odds to the last bit. Needs at most 32 leaves a
 * tree and no NaN threshold.
 */
function quickScorer(model: BoostedTrees): (x: ArrayLike<number>) => number {
  const count = model.trees.length;
  const leafStart = new Int32Array(count);
  const leafValues: number[] = [];
  const splits: { feature: number; threshold: number; tree: number; keep: number }[] = [];
  model.trees.forEach((tree, t) => {
    leafStart[t] = leafValues.length;
    // Leaves numbered left to right; returns the first leaf's number and how many there are.
    const number = (node: TreeNode): [number, number] => {
      if (typeof node === 'number') {
        leafValues.push(node);
        return [leafValues.length - 1 - (leafStart[t] ?? 0), 1];
      }
      const [first, left] = number(node[2]);
      const [, right] = number(node[3]);
      const leftBits = left === 32 ? -1 : ((1 << left) - 1) << first;
      splits.push({ feature: node[0], threshold: node[1], tree: t, keep: ~leftBits });
      return [first, left + right];
    };
    number(tree);
  });
  const features = splits.reduce((most, s) => Math.max(most, s.feature + 1), 0);
  // One run of splits per feature, in ascending order of threshold, in three parallel arrays.
  const sorted = splits.sort((a, b) => a.feature - b.feature || a.threshold - b.threshold);
  const start = new Int32Array(features + 1);
  for (const s of sorted) start[s.feature + 1] = (start[s.feature + 1] ?? 0) + 1;
  for (let j = 0; j < features; j++) start[j + 1] = (start[j + 1] ?? 0) + (start[j] ?? 0);
  const thresholds = Float64Array.from(sorted, (s) => s.threshold);
  const trees = Int32Array.from(sorted, (s) => s.tree);
  const keeps = Int32Array.from(sorted, (s) => s.keep);
  const values = Float64Array.from(leafValues);
  const masks = new Int32Array(count);
  // The indexes below are in range by construction; `as number` spares the hot loops a check each.
  return (x) => {
    masks.fill(-1);
    for (let j = 0; j < features; j++) {
      const v = x[j] ?? 0;
      const end = start[j + 1] as number;
      let i = start[j] as number;
      // "At or below" goes left: a value goes right past every threshold under it, NaN past all.
      const nan = Number.isNaN(v);
      for (; i < end && (nan || (thresholds[i] as number) < v); i++) {
        const t = trees[i] as number;
        masks[t] = (masks[t] as number) & (keeps[i] as number);
      }
    }
    let z = model.base;
    for (let t = 0; t < count; t++) {
      const mask = masks[t] as number;
      z += values[(leafStart[t] as number) + 31 - Math.clz32(mask & -mask)] as number;
    }
    return z;
  };
}

/** The trees flattened into typed arrays and walked node by node (about three times faster than nested arrays). */
function nodeWalk(model: BoostedTrees): (x: ArrayLike<number>) => number {
  const feature: number[] = [];
  const value: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const add = (node: TreeNode): number => {
    const at = feature.length;
    feature.push(-1);
    value.push(0);
    left.push(-1);
    right.push(-1);
    if (typeof node === 'number') value[at] = node;
    else {
      feature[at] = node[0];
      value[at] = node[1];
      left[at] = add(node[2]);
      right[at] = add(node[3]);
    }
    return at;
  };
  const roots = Int32Array.from(model.trees.map(add));
  const f = Int32Array.from(feature);
  const v = Float64Array.from(value);
  const l = Int32Array.from(left);
  const r = Int32Array.from(right);
  return (x: ArrayLike<number>) => {
    let z = model.base;
    for (const root of roots) {
      let at = root;
      let split = f[at] ?? -1;
      while (split >= 0) {
        at = ((x[split] ?? 0) <= (v[at] ?? 0) ? l[at] : r[at]) ?? 0;
        split = f[at] ?? -1;
      }
      z += v[at] ?? 0;
    }
    return z;
  };
}

function leafOf(tree: TreeNode, x: readonly number[]): number {
  let node = tree;
  while (typeof node !== 'number') node = (x[node[0]] ?? 0) <= node[1] ? node[2] : node[3];
  return node;
}

/** Thresholds between distinct values at evenly spaced quantiles of one feature. */
function cutsOf(values: readonly number[], bins: number): number[] {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(sorted.length / bins));
  const cuts: number[] = [];
  for (let i = step; i < sorted.length; i += step) cuts.push(((sorted[i - 1] ?? 0) + (sorted[i] ?? 0)) / 2);
  return cuts;
}

/** Fits trees on rows of feature values and 0/1 labels; deterministic for the same input. */
export function fitBoostedTrees(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: BoostOptions,
): BoostedTrees {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  const positive = labels.reduce((s, y) => s + y, 0);
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positive / Math.max(1, n)));
  const base = Math.log(rate / (1 - rate));
  const cuts = Array.from({ length: k }, (_, j) =>
    cutsOf(
      rows.map((r) => r[j] ?? 0),
      options.bins,
    ),
  );
  // Each row's bin per feature, once: a split search is then one pass of sums per node.
  const bin = rows.map((r) =>
    cuts.map((c, j) => {
      const v = r[j] ?? 0;
      let b = 0;
      while (b < c.length && v > (c[b] ?? 0)) b++;
      return b;
    }),
  );
  const z = new Float64Array(n).fill(base);
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const trees: TreeNode[] = [];
  const { lambda, minLeaf } = options;
  const leaf = (G: number, H: number) => (-G / (H + lambda)) * options.learningRate;

  const grow = (idx: readonly number[], depth: number): TreeNode => {
    let G = 0;
    let H = 0;
    for (const i of idx) {
      G += g[i] ?? 0;
      H += h[i] ?? 0;
    }
    if (depth === 0 || idx.length < 2 * minLeaf) return leaf(G, H);
    const parent = (G * G) / (H + lambda);
    let best = { gain: 1e-9, feature: -1, cut: 0 };
    for (let j = 0; j < k; j++) {
      const cj = cuts[j] ?? [];
      const sg = new Float64Array(cj.length + 1);
      const sh = new Float64Array(cj.length + 1);
      const sn = new Int32Array(cj.length + 1);
      for (const i of idx) {
        const b = bin[i]?.[j] ?? 0;
        sg[b] = (sg[b] ?? 0) + (g[i] ?? 0);
        sh[b] = (sh[b] ?? 0) + (h[i] ?? 0);
        sn[b] = (sn[b] ?? 0) + 1;
      }
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let c = 0; c < cj.length; c++) {
        gl += sg[c] ?? 0;
        hl += sh[c] ?? 0;
        nl += sn[c] ?? 0;
        if (nl < minLeaf || idx.length - nl < minLeaf) continue;
        const gr = G - gl;
        const hr = H - hl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best.gain) best = { gain, feature: j, cut: c };
      }
    }
    if (best.feature < 0) return leaf(G, H);
    const left: number[] = [];
    const right: number[] = [];
    for (const i of idx) ((bin[i]?.[best.feature] ?? 0) <= best.cut ? left : right).push(i);
    const threshold = cuts[best.feature]?.[best.cut] ?? 0;
    return [best.feature, threshold, grow(left, depth - 1), grow(right, depth - 1)];
  };

  const all = Array.from({ length: n }, (_, i) => i);
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(z[i] ?? 0)));
      g[i] = p - (labels[i] ?? 0);
      h[i] = Math.max(1e-6, p * (1 - p));
    }
    const tree = grow(all, options.depth);
    trees.push(tree);
    for (let i = 0; i < n; i++) z[i] = (z[i] ?? 0) + leafOf(tree, rows[i] ?? []);
  }
  return { base, trees };
}
