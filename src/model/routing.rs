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

/// The allowed pairs, as a data-center-major boolean matrix and as adjacency lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// The mode it was built from.
    pub kind: RoutingKind,
    n_dcs: usize,
    n_gateways: usize,
    allowed: Vec<bool>,
    /// Per data center, the gateways it may serve.
    gateways_of: Vec<Vec<u32>>,
    /// Per gateway, the data centers that may serve it.
    dcs_of: Vec<Vec<u32>>,
}

impl Routing {
    /// Every pair allowed.
    pub fn full(n_dcs: usize, n_gateways: usize) -> Routing {
        Routing::from_fn(RoutingKind::Full, n_dcs, n_gateways, |_, _| true)
    }

    /// Only the pairs for which `allow(dc, gateway)` holds.
    pub fn from_fn(
        kind: RoutingKind,
        n_dcs: usize,
        n_gateways: usize,
        allow: impl Fn(usize, usize) -> bool,
    ) -> Routing {
        let allowed: Vec<bool> = (0..n_dcs)
            .flat_map(|d| (0..n_gateways).map(move |g| (d, g)))
            .map(|(d, g)| allow(d, g))
            .collect();
        let gateways_of: Vec<Vec<u32>> = (0..n_dcs)
            .map(|d| {
                (0..n_gateways)
                    .filter(|&g| allowed[d * n_gateways + g])
                    .map(|g| g as u32)
                    .collect()
            })
            .collect();
        let mut dcs_of = vec![Vec::new(); n_gateways];
        for (d, gateways) in gateways_of.iter().enumerate() {
            for &g in gateways {
                dcs_of[g as usize].push(d as u32);
            }
        }
        Routing {
            kind,
            n_dcs,
            n_gateways,
            allowed,
            gateways_of,
            dcs_of,
        }
    }

    /// Whether data center `dc` may serve gateway `gateway`.
    pub fn allows(&self, dc: usize, gateway: usize) -> bool {
        self.allowed[dc * self.n_gateways + gateway]
    }

    /// The number of allowed (data center, gateway) pairs: flows per hour.
    pub fn n_pairs(&self) -> usize {
        self.allowed.iter().filter(|&&a| a).count()
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
        let mut net = Network::new(self, demand_mw);
        let mut order: Vec<usize> = (0..self.n_dcs).collect();
        order.sort_by(|&a, &b| unit_price[a].total_cmp(&unit_price[b]).then(a.cmp(&b)));
        let total: f64 = demand_mw.iter().sum();
        let mut served = 0.0;
        for d in order {
            if total - served <= FLOW_EPS {
                break; // every gateway is served: the dearer data centers stay empty
            }
            served += net.open(d, capacity_mw[d]);
        }
        let shortfall = total - served;
        if shortfall > 1e-9 {
            return Err(shortfall);
        }
        Ok(net.flows_mw)
    }

    /// The most demand (MW) that can be served in one hour: a max flow from gateways (supplying
    /// `demand_mw`) through allowed pairs to data centers (absorbing up to `capacity_mw`).
    pub fn max_servable_mw(&self, demand_mw: &[f64], capacity_mw: &[f64]) -> f64 {
        let total: f64 = demand_mw.iter().sum();
        if self.is_full() {
            return total.min(capacity_mw.iter().sum());
        }
        let mut net = Network::new(self, demand_mw);
        (0..self.n_dcs).map(|d| net.open(d, capacity_mw[d])).sum()
    }
}

const FLOW_EPS: f64 = 1e-12;

/// The flow network source -> gateways -> data centers -> sink of one hour, kept sparse: the
/// allowed pairs as adjacency lists, the flow on each pair, each gateway's unserved demand and
/// each data center's spare capacity. Data centers are opened one at a time ([`Network::open`]);
/// since a newly opened data center's edge to the sink is the only new residual edge, every
/// augmenting path then ends there, and is found by a breadth-first search backwards from it
/// (shortest paths, as Edmonds and Karp), touching only the pairs it reaches.
struct Network<'a> {
    n_gateways: usize,
    /// Per data center, the gateways it may serve.
    gateways_of: &'a [Vec<u32>],
    /// Per gateway, the data centers that may serve it.
    dcs_of: &'a [Vec<u32>],
    /// Flow on each pair, MW, data-center major.
    flows_mw: Vec<f64>,
    /// Each gateway's demand not yet served.
    unserved_mw: Vec<f64>,
    /// Search scratch: each gateway's data center towards the open one (`u32::MAX`: unseen), each
    /// data center's gateway towards it, and the queue of data centers.
    via_dc: Vec<u32>,
    via_gateway: Vec<u32>,
    queue: Vec<u32>,
    /// The nodes the last search marked, to reset only those.
    touched_gateways: Vec<u32>,
    touched_dcs: Vec<u32>,
}

impl<'a> Network<'a> {
    fn new(routing: &'a Routing, demand_mw: &[f64]) -> Network<'a> {
        let (n_dcs, n_gateways) = (routing.n_dcs, routing.n_gateways);
        Network {
            n_gateways,
            gateways_of: &routing.gateways_of,
            dcs_of: &routing.dcs_of,
            flows_mw: vec![0.0; n_dcs * n_gateways],
            unserved_mw: demand_mw.to_vec(),
            via_dc: vec![u32::MAX; n_gateways],
            via_gateway: vec![u32::MAX; n_dcs],
            queue: Vec::new(),
            touched_gateways: Vec::new(),
            touched_dcs: Vec::new(),
        }
    }

    /// Opens data center `d` with `capacity_mw` and pushes flow to it along shortest augmenting
    /// paths until none is left; returns how much it took.
    fn open(&mut self, d: usize, capacity_mw: f64) -> f64 {
        let mut spare = capacity_mw;
        let mut taken = 0.0;
        while spare > FLOW_EPS {
            let Some(start) = self.search(d) else { break };
            let push = self.bottleneck(start, d).min(spare);
            self.push(start, d, push);
            spare -= push;
            taken += push;
        }
        taken
    }

    /// Breadth-first search backwards from data center `d` over residual edges: an allowed pair
    /// leads from a data center back to its gateways, and a pair carrying flow from a gateway back
    /// to the data center serving it. Returns a gateway with unserved demand, if one is reached;
    /// `via_dc` and `via_gateway` then lead from it to `d`.
    fn search(&mut self, d: usize) -> Option<usize> {
        for &g in &self.touched_gateways {
            self.via_dc[g as usize] = u32::MAX;
        }
        for &dc in &self.touched_dcs {
            self.via_gateway[dc as usize] = u32::MAX;
        }
        self.touched_gateways.clear();
        self.touched_dcs.clear();
        self.queue.clear();
        self.queue.push(d as u32);
        self.via_gateway[d] = u32::MAX - 1;
        self.touched_dcs.push(d as u32);
        let mut head = 0;
        while let Some(&dc) = self.queue.get(head) {
            head += 1;
            for &g in &self.gateways_of[dc as usize] {
                if self.via_dc[g as usize] != u32::MAX {
                    continue;
                }
                self.via_dc[g as usize] = dc;
                self.touched_gateways.push(g);
                if self.unserved_mw[g as usize] > FLOW_EPS {
                    return Some(g as usize);
                }
                for &other in &self.dcs_of[g as usize] {
                    let flow = self.flows_mw[other as usize * self.n_gateways + g as usize];
                    if self.via_gateway[other as usize] == u32::MAX && flow > FLOW_EPS {
                        self.via_gateway[other as usize] = g;
                        self.touched_dcs.push(other);
                        self.queue.push(other);
                    }
                }
            }
        }
        None
    }

    /// The steps of the path the last search found from gateway `start` to data center `d`: each
    /// gateway and the data center it sends more to, which (unless it is `d`) takes as much less
    /// from the next gateway, `via_gateway[to]`.
    fn path(&self, start: usize, d: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut gateway = Some(start);
        std::iter::from_fn(move || {
            let g = gateway?;
            let to = self.via_dc[g] as usize;
            gateway = (to != d).then(|| self.via_gateway[to] as usize);
            Some((g, to))
        })
    }

    /// How much the path from `start` to `d` can carry: the unserved demand at its start and the
    /// flow on each pair it sends less on.
    fn bottleneck(&self, start: usize, d: usize) -> f64 {
        let n = self.n_gateways;
        let mut push = self.unserved_mw[start];
        for (_, to) in self.path(start, d) {
            if to != d {
                let g = self.via_gateway[to] as usize;
                push = push.min(self.flows_mw[to * n + g]);
            }
        }
        push
    }

    /// Sends `push` MW more from gateway `start` along the path to `d`.
    fn push(&mut self, start: usize, d: usize, push: f64) {
        let n = self.n_gateways;
        let steps: Vec<(usize, usize)> = self.path(start, d).collect();
        self.unserved_mw[start] -= push;
        for (g, to) in steps {
            self.flows_mw[to * n + g] += push;
            if to != d {
                let next = self.via_gateway[to] as usize;
                self.flows_mw[to * n + next] -= push;
            }
        }
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
