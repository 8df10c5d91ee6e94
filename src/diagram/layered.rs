//! A layered drawing of a directed graph, top to bottom, after Sugiyama, Tagawa and Toda (1981,
//! <https://doi.org/10.1109/TSMC.1981.4308636>): cycles broken by reversing DFS back edges,
//! longest-path ranks with sources pulled down next to their successors, dummy nodes on long
//! edges, barycentre ordering with transposition to cut crossings, and x coordinates that pull
//! each node towards its neighbours (weighted isotonic regression keeps nodes apart).
//!
//! Deterministic: every choice breaks ties by index.

/// A point, px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pt {
    /// Horizontal, growing rightwards.
    pub x: f64,
    /// Vertical, growing downwards.
    pub y: f64,
}

impl Pt {
    /// The point (x, y).
    pub fn new(x: f64, y: f64) -> Pt {
        Pt { x, y }
    }
}

/// What to lay out.
#[derive(Clone, Debug)]
pub struct Graph {
    /// Width and height of each node.
    pub sizes: Vec<(f64, f64)>,
    /// Directed edges (self-loops are ignored).
    pub edges: Vec<(usize, usize)>,
    /// Vertical room between ranks.
    pub rank_gap: f64,
    /// Horizontal room between nodes of a rank.
    pub node_gap: f64,
}

/// Where everything went.
#[derive(Clone, Debug)]
pub struct Layout {
    /// Centre of each node.
    pub centers: Vec<Pt>,
    /// For each edge, the bends between its ends (dummy-node centres), from source to target.
    pub bends: Vec<Vec<Pt>>,
}

/// Room kept beside an edge passing through a rank.
const DUMMY_WIDTH: f64 = 12.0;
/// Ordering sweeps (each down and up).
const SWEEPS: usize = 12;
/// Coordinate passes (each down and up).
const PASSES: usize = 10;

struct Work {
    /// Width of each layout node (real nodes first, then dummies).
    width: Vec<f64>,
    real: usize,
    layers: Vec<Vec<usize>>,
    /// Neighbours in the rank above and below.
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Chain of layout nodes of each edge, in rank order, and whether it runs against the edge.
    chains: Vec<(Vec<usize>, bool)>,
}

/// Lays `g` out.
pub fn layout(g: &Graph) -> Layout {
    let n = g.sizes.len();
    let dag = acyclic(n, &g.edges);
    let rank = ranks(n, &dag);
    let mut w = expand(g, &dag, &rank);
    order(&mut w);
    let xs = coordinates(&w, g.node_gap);
    let heights: Vec<f64> = (0..w.layers.len())
        .map(|r| {
            w.layers[r]
                .iter()
                .filter(|&&v| v < w.real)
                .map(|&v| g.sizes[v].1)
                .fold(0.0, f64::max)
        })
        .collect();
    let mut row_y = Vec::with_capacity(heights.len());
    let mut y = 0.0;
    for h in &heights {
        row_y.push(y + h / 2.0);
        y += h + g.rank_gap;
    }
    let at = |v: usize, r: usize| Pt::new(xs[v], row_y[r]);
    let mut rank_of = vec![0; w.width.len()];
    for (r, layer) in w.layers.iter().enumerate() {
        for &v in layer {
            rank_of[v] = r;
        }
    }
    let centers = (0..n).map(|v| at(v, rank_of[v])).collect();
    let bends = w
        .chains
        .iter()
        .map(|(chain, reversed)| {
            let mut pts: Vec<Pt> = chain
                .iter()
                .filter(|&&v| v >= w.real)
                .map(|&v| at(v, rank_of[v]))
                .collect();
            if *reversed {
                pts.reverse();
            }
            pts
        })
        .collect();
    Layout { centers, bends }
}

/// Edges with DFS back edges reversed: (from, to, reversed); self-loops become `None`.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<Option<(usize, usize, bool)>> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (j, &(a, b)) in edges.iter().enumerate() {
        if a != b {
            out[a].push((b, j));
        }
    }
    // 0 unseen, 1 on the stack, 2 done.
    let mut state = vec![0u8; n];
    let mut back = vec![false; edges.len()];
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let v = top.0;
            if let Some(&(t, j)) = out[v].get(top.1) {
                top.1 += 1;
                match state[t] {
                    0 => {
                        state[t] = 1;
                        stack.push((t, 0));
                    }
                    1 => back[j] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    edges
        .iter()
        .enumerate()
        .map(|(j, &(a, b))| (a != b).then(|| if back[j] { (b, a, true) } else { (a, b, false) }))
        .collect()
}

/// Longest-path ranks, then each source moved down to just above its nearest successor.
fn ranks(n: usize, dag: &[Option<(usize, usize, bool)>]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b, _) in dag.iter().flatten() {
        indeg[b] += 1;
        succ[a].push(b);
    }
    let mut rank = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| indeg[v] == 0).collect();
    let mut left = indeg.clone();
    while let Some(v) = ready.pop() {
        for &t in &succ[v] {
            rank[t] = rank[t].max(rank[v] + 1);
            left[t] -= 1;
            if left[t] == 0 {
                ready.push(t);
            }
        }
    }
    for v in 0..n {
        if indeg[v] == 0 {
            if let Some(m) = succ[v].iter().map(|&t| rank[t]).min() {
                rank[v] = m.saturating_sub(1);
            }
        }
    }
    rank
}

/// Layers with dummy nodes on edges longer than one rank.
fn expand(g: &Graph, dag: &[Option<(usize, usize, bool)>], rank: &[usize]) -> Work {
    let n = g.sizes.len();
    let depth = rank.iter().max().map_or(0, |m| m + 1);
    let mut w = Work {
        width: g.sizes.iter().map(|s| s.0).collect(),
        real: n,
        layers: vec![Vec::new(); depth],
        up: vec![Vec::new(); n],
        down: vec![Vec::new(); n],
        chains: Vec::new(),
    };
    for (v, &r) in rank.iter().enumerate() {
        w.layers[r].push(v);
    }
    for e in dag {
        let Some(&(a, b, reversed)) = e.as_ref() else {
            w.chains.push((Vec::new(), false));
            continue;
        };
        let mut chain = vec![a];
        for r in rank[a] + 1..rank[b] {
            let d = w.width.len();
            w.width.push(DUMMY_WIDTH);
            w.up.push(Vec::new());
            w.down.push(Vec::new());
            w.layers[r].push(d);
            chain.push(d);
        }
        chain.push(b);
        for pair in chain.windows(2) {
            w.down[pair[0]].push(pair[1]);
            w.up[pair[1]].push(pair[0]);
        }
        w.chains.push((chain, reversed));
    }
    w
}

/// Crossings between layer `r` and `r + 1`.
fn crossings_between(w: &Work, pos: &[usize], r: usize) -> usize {
    let mut segs: Vec<(usize, usize)> = w.layers[r]
        .iter()
        .flat_map(|&a| w.down[a].iter().map(move |&b| (pos[a], pos[b])))
        .collect();
    segs.sort_unstable();
    let mut c = 0;
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            if segs[i].0 < segs[j].0 && segs[i].1 > segs[j].1 {
                c += 1;
            }
        }
    }
    c
}

fn positions(w: &Work) -> Vec<usize> {
    let mut pos = vec![0; w.width.len()];
    for layer in &w.layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

fn total_crossings(w: &Work) -> usize {
    let pos = positions(w);
    (0..w.layers.len().saturating_sub(1))
        .map(|r| crossings_between(w, &pos, r))
        .sum()
}

/// Orders each layer by the barycentre of its neighbours, keeping the best order seen.
fn order(w: &mut Work) {
    let mut best = w.layers.clone();
    let mut best_c = total_crossings(w);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let rs: Vec<usize> = if down {
            (1..w.layers.len()).collect()
        } else {
            (0..w.layers.len().saturating_sub(1)).rev().collect()
        };
        for r in rs {
            let pos = positions(w);
            let mut keyed: Vec<(f64, usize, usize)> = w.layers[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let ns = if down { &w.up[v] } else { &w.down[v] };
                    let bc = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&u| pos[u] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (bc, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            w.layers[r] = keyed.into_iter().map(|k| k.2).collect();
        }
        transpose(w);
        let c = total_crossings(w);
        if c < best_c {
            best_c = c;
            best = w.layers.clone();
        }
    }
    w.layers = best;
}

/// Swaps neighbours in a layer while that removes crossings.
fn transpose(w: &mut Work) {
    for _ in 0..4 {
        let mut improved = false;
        for r in 0..w.layers.len() {
            for i in 0..w.layers[r].len().saturating_sub(1) {
                let before = local_crossings(w, r);
                w.layers[r].swap(i, i + 1);
                if local_crossings(w, r) < before {
                    improved = true;
                } else {
                    w.layers[r].swap(i, i + 1);
                }
            }
        }
        if !improved {
            break;
        }
    }
}

fn local_crossings(w: &Work, r: usize) -> usize {
    let pos = positions(w);
    let mut c = crossings_between(w, &pos, r);
    if r > 0 {
        c += crossings_between(w, &pos, r - 1);
    }
    c
}

/// Edge weight for straightening: long edges (dummy to dummy) count most.
fn weight(w: &Work, a: usize, b: usize) -> f64 {
    match (a >= w.real, b >= w.real) {
        (true, true) => 8.0,
        (true, false) | (false, true) => 2.0,
        _ => 1.0,
    }
}

fn coordinates(w: &Work, node_gap: f64) -> Vec<f64> {
    let gap = |a: usize, b: usize| {
        let g = if a >= w.real || b >= w.real {
            node_gap / 3.0
        } else {
            node_gap
        };
        (w.width[a] + w.width[b]) / 2.0 + g
    };
    let mut x = vec![0.0; w.width.len()];
    for layer in &w.layers {
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                at += gap(layer[i - 1], v);
            }
            x[v] = at;
        }
    }
    for pass in 0..PASSES * 2 {
        let rs: Vec<usize> = if pass % 2 == 0 {
            (0..w.layers.len()).collect()
        } else {
            (0..w.layers.len()).rev().collect()
        };
        for r in rs {
            let layer = &w.layers[r];
            let targets: Vec<(f64, f64)> = layer
                .iter()
                .map(|&v| {
                    let mut sum = 0.0;
                    let mut total = 0.0;
                    for &u in w.up[v].iter().chain(&w.down[v]) {
                        let k = weight(w, u, v);
                        sum += k * x[u];
                        total += k;
                    }
                    if total == 0.0 {
                        (x[v], 0.05)
                    } else {
                        (sum / total, total)
                    }
                })
                .collect();
            let gaps: Vec<f64> = layer.windows(2).map(|p| gap(p[0], p[1])).collect();
            for (v, nx) in layer.iter().zip(isotonic(&targets, &gaps)) {
                x[*v] = nx;
            }
        }
    }
    let left = (0..w.width.len())
        .map(|v| x[v] - w.width[v] / 2.0)
        .fold(f64::MAX, f64::min);
    if left.is_finite() {
        x.iter_mut().for_each(|v| *v -= left);
    }
    x
}

/// Positions closest (weighted least squares) to `targets` (value, weight) that keep neighbour
/// `i + 1` at least `gaps[i]` right of `i`: pool-adjacent-violators on the offsets.
fn isotonic(targets: &[(f64, f64)], gaps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(targets.len());
    let mut o = 0.0;
    for i in 0..targets.len() {
        if i > 0 {
            o += gaps[i - 1];
        }
        offset.push(o);
    }
    // Blocks: (weighted mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, &(t, k)) in targets.iter().enumerate() {
        blocks.push((t - offset[i], k, 1));
        while blocks.len() > 1 {
            let (m2, k2, c2) = blocks[blocks.len() - 1];
            let (m1, k1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.truncate(blocks.len() - 2);
            blocks.push(((m1 * k1 + m2 * k2) / (k1 + k2), k1 + k2, c1 + c2));
        }
    }
    let mut out = Vec::with_capacity(targets.len());
    for (m, _, c) in blocks {
        for _ in 0..c {
            out.push(m + offset[out.len()]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_go_down_and_cycles_do_not_loop() {
        let g = Graph {
            sizes: vec![(40.0, 20.0); 4],
            edges: vec![(0, 1), (1, 2), (2, 0), (0, 3), (3, 3)],
            rank_gap: 30.0,
            node_gap: 20.0,
        };
        let l = layout(&g);
        let y = |i: usize| l.centers[i].y;
        assert!(y(0) < y(1) && y(1) < y(2));
        assert_eq!(l.bends[2].len(), 1, "the reversed edge spans two ranks");
        assert!(l.bends[4].is_empty());
    }

    #[test]
    fn isotonic_keeps_gaps() {
        let x = isotonic(&[(10.0, 1.0), (0.0, 1.0), (50.0, 1.0)], &[20.0, 20.0]);
        assert_eq!(x, vec![-5.0, 15.0, 50.0]);
    }
}
