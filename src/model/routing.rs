//! Routing: which (data center, gateway) pairs may carry load, and how much demand that lets the
//! fleet serve in one hour.
//!
//! `full` allows every pair, `nearest` only each gateway's `nearest_dc`, `partial` the pairs listed
//! in the scenario's `[partial_routing]` table (a latency proxy, docs/model.md §3), `latency` the
//! pairs within a distance or round-trip limit.

use serde::Deserialize;

/// The routing modes a scenario can select.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoutingKind {
    /// Any gateway to any data center.
    #[default]
    Full,
    /// The pairs listed in `[partial_routing]`.
    Partial,
    /// Each gateway to its `nearest_dc` only.
    Nearest,
    /// The pairs within the `[latency]` limit, by great-circle distance between coordinates.
    Latency,
}

impl RoutingKind {
    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            RoutingKind::Full => "full",
            RoutingKind::Partial => "partial",
            RoutingKind::Nearest => "nearest",
            RoutingKind::Latency => "latency",
        }
    }
}

/// The allowed pairs, as a data-center-major boolean matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// The mode it was built from.
    pub kind: RoutingKind,
    n_dcs: usize,
    n_gateways: usize,
    allowed: Vec<bool>,
}

impl Routing {
    /// Every pair allowed.
    pub fn full(n_dcs: usize, n_gateways: usize) -> Routing {
        Routing {
            kind: RoutingKind::Full,
            n_dcs,
            n_gateways,
            allowed: vec![true; n_dcs * n_gateways],
        }
    }

    /// Only the pairs for which `allow(dc, gateway)` holds.
    pub fn from_fn(
        kind: RoutingKind,
        n_dcs: usize,
        n_gateways: usize,
        allow: impl Fn(usize, usize) -> bool,
    ) -> Routing {
        let allowed = (0..n_dcs)
            .flat_map(|d| (0..n_gateways).map(move |g| (d, g)))
            .map(|(d, g)| allow(d, g));
        Routing {
            kind,
            n_dcs,
            n_gateways,
            allowed: allowed.collect(),
        }
    }

    /// Whether data center `dc` may serve gateway `gateway`.
    pub fn allows(&self, dc: usize, gateway: usize) -> bool {
        self.allowed[dc * self.n_gateways + gateway]
    }

    /// Whether every pair is allowed.
    pub fn is_full(&self) -> bool {
        self.allowed.iter().all(|&a| a)
    }

    /// The allocation of `demand_mw` that minimises `sum unit_price[dc] x load[dc]` under
    /// `capacity_mw` and this routing, as a data-center-major flow matrix; `Err(shortfall_mw)` if
    /// the demand cannot all be served.
    ///
    /// Exact and fast: the feasible vectors of data-center loads form the base polytope of the
    /// polymatroid `f(S)` = the most demand data centers `S` can absorb (a max flow), on which
    /// Edmonds' greedy algorithm is optimal for a linear cost. So: open data centers in increasing
    /// order of price (ties by index) and, after each, augment the flow as far as it goes; the k-th
    /// then carries `f(S_k) - f(S_k-1)`, since augmenting paths end at the sink and never lower a
    /// sink edge's flow.
    pub fn cheapest_flows(
        &self,
        unit_price: &[f64],
        demand_mw: &[f64],
        capacity_mw: &[f64],
    ) -> Result<Vec<f64>, f64> {
        let (g_count, d_count) = (self.n_gateways, self.n_dcs);
        let mut net = MaxFlow::new(self, demand_mw, &vec![0.0; d_count]);
        let (n, sink) = (net.n, net.n - 1);
        let mut order: Vec<usize> = (0..d_count).collect();
        order.sort_by(|&a, &b| unit_price[a].total_cmp(&unit_price[b]).then(a.cmp(&b)));
        let total: f64 = demand_mw.iter().sum();
        let mut served = 0.0;
        for d in order {
            if total - served <= FLOW_EPS {
                break; // every gateway is served: the dearer data centers stay empty
            }
            net.residual[(1 + g_count + d) * n + sink] = capacity_mw[d];
            served += net.augment();
        }
        let shortfall = total - served;
        if shortfall > 1e-9 {
            return Err(shortfall);
        }
        // The flow on gateway g -> dc d is the residual capacity of its reverse edge.
        Ok((0..d_count)
            .flat_map(|d| (0..g_count).map(move |g| (d, g)))
            .map(|(d, g)| net.residual[(1 + g_count + d) * n + 1 + g])
            .collect())
    }

    /// The most demand (MW) that can be served in one hour: a max flow from gateways (supplying
    /// `demand_mw`) through allowed pairs to data centers (absorbing up to `capacity_mw`).
    pub fn max_servable_mw(&self, demand_mw: &[f64], capacity_mw: &[f64]) -> f64 {
        let total: f64 = demand_mw.iter().sum();
        if self.is_full() {
            return total.min(capacity_mw.iter().sum());
        }
        MaxFlow::new(self, demand_mw, capacity_mw).run()
    }
}

/// Edmonds-Karp on the bipartite network source -> gateways -> data centers -> sink.
struct MaxFlow {
    /// Residual capacities, `n x n`, nodes: 0 source, 1..=G gateways, then data centers, then sink.
    residual: Vec<f64>,
    n: usize,
    /// Scratch space of the breadth-first search: each node's predecessor, and the queue.
    parent: Vec<usize>,
    queue: Vec<usize>,
}

const FLOW_EPS: f64 = 1e-12;

impl MaxFlow {
    fn new(routing: &Routing, demand_mw: &[f64], capacity_mw: &[f64]) -> MaxFlow {
        let (g_count, d_count) = (routing.n_gateways, routing.n_dcs);
        let n = g_count + d_count + 2;
        let sink = n - 1;
        let mut residual = vec![0.0; n * n];
        for (g, &demand) in demand_mw.iter().enumerate() {
            residual[1 + g] = demand;
            for d in 0..d_count {
                if routing.allows(d, g) {
                    residual[(1 + g) * n + 1 + g_count + d] = f64::INFINITY;
                }
            }
        }
        for (d, &capacity) in capacity_mw.iter().enumerate() {
            residual[(1 + g_count + d) * n + sink] = capacity;
        }
        MaxFlow {
            residual,
            n,
            parent: vec![usize::MAX; n],
            queue: Vec::with_capacity(n),
        }
    }

    fn run(mut self) -> f64 {
        self.augment()
    }

    /// Pushes flow along shortest augmenting paths until none is left; returns how much.
    fn augment(&mut self) -> f64 {
        let (n, sink) = (self.n, self.n - 1);
        let mut flow = 0.0;
        while self.search() {
            let mut push = f64::INFINITY;
            let mut at = sink;
            while at != 0 {
                let from = self.parent[at];
                push = push.min(self.residual[from * n + at]);
                at = from;
            }
            let mut at = sink;
            while at != 0 {
                let from = self.parent[at];
                self.residual[from * n + at] -= push;
                self.residual[at * n + from] += push;
                at = from;
            }
            flow += push;
        }
        flow
    }

    /// Breadth-first search from source to sink over edges with residual capacity, recording
    /// predecessors in `parent`; true if the sink was reached.
    fn search(&mut self) -> bool {
        let n = self.n;
        self.parent.fill(usize::MAX);
        self.parent[0] = 0;
        self.queue.clear();
        self.queue.push(0);
        let mut head = 0;
        while head < self.queue.len() {
            let u = self.queue[head];
            head += 1;
            for v in 0..n {
                if self.parent[v] == usize::MAX && self.residual[u * n + v] > FLOW_EPS {
                    self.parent[v] = u;
                    if v == n - 1 {
                        return true;
                    }
                    self.queue.push(v);
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_routing_serves_up_to_total_capacity() {
        let r = Routing::full(2, 3);
        assert_eq!(r.max_servable_mw(&[1.0, 1.0, 1.0], &[1.0, 1.5]), 2.5);
        assert_eq!(r.max_servable_mw(&[0.5, 0.5, 0.5], &[1.0, 1.5]), 1.5);
    }

    #[test]
    fn mask_limits_what_is_servable() {
        // Gateway 0 may use only dc 0; gateway 1 both. dc 0 holds 1 MW, dc 1 holds 1 MW.
        let r = Routing::from_fn(RoutingKind::Partial, 2, 2, |d, g| !(d == 1 && g == 0));
        assert!((r.max_servable_mw(&[1.5, 0.2], &[1.0, 1.0]) - 1.2).abs() < 1e-12);
        assert!((r.max_servable_mw(&[0.8, 1.2], &[1.0, 1.0]) - 2.0).abs() < 1e-12);
    }
}
