//! One hour's cheapest allocation at some modified prices (a vertex of the hour's polytope of
//! allocations), and when an earlier one can be reused instead of running the hourly oracle again.
//!
//! The oracle ([`allocation::cheapest`]) opens data centers in increasing order of price (ties
//! by index) and stops once every gateway is served; its loads are the polymatroid greedy's vertex
//! of that order, the point whose every prefix set of data centers is tight (serves all it can).
//! So the loads depend on the prices only through the data centers opened and the prefix sets of
//! their order. A full data center's singleton is tight, and unions of tight sets are tight, so
//! new prices that open the same data centers first, in an order whose every prefix is a prefix of
//! the old order plus full data centers, have the same vertex ([`Vertex::still_cheapest`]: an
//! O(N log N) check against the oracle's max flows). The reused allocation's flows are the old
//! ones, an equally cheap allocation. Late in a dual maximisation, and between column-generation
//! rounds, many hours pass the check.

use crate::error::AllocationError;
use crate::model::Fleet;
use crate::model::allocation::{self, Allocation, Flow, flow_index};

/// A data center loaded to within this of its capacity is full. The oracle leaves at most 1e-12 MW
/// of room at a data center it filled; one that ran out of demand instead with less room than this
/// is taken for full too, so a reused allocation may cost up to this many MW times the price
/// difference more than the oracle's at the new prices (1e-7 USD an hour at a difference of
/// 10,000 USD/MWh), far below the certificate's 1e-7 relative gap. A filled data center whose
/// rounding exceeds it is taken for not full, which only forgoes a reuse.
const FULL_TOL_MW: f64 = 1e-11;

/// An hour's cheapest allocation at some prices, kept compact.
#[derive(Debug, Clone, PartialEq)]
pub struct Vertex {
    /// The data centers the oracle opened, in its order, through the last that took load.
    opened: Vec<u32>,
    /// Per data center, whether it is loaded to capacity.
    full: Vec<bool>,
    /// Per data center, MW.
    pub loads_mw: Vec<f64>,
    /// The pairs that carry load.
    pub flows: Vec<Flow>,
}

/// The oracle's order at `price`: increasing price, ties by index.
fn ranking(price: &[f64], a: u32, b: u32) -> std::cmp::Ordering {
    price[a as usize].total_cmp(&price[b as usize]).then(a.cmp(&b))
}

impl Vertex {
    /// The oracle's cheapest allocation of `demand_mw` at `price` (USD/MWh per data center).
    pub fn cheapest(price: &[f64], demand_mw: &[f64], fleet: &Fleet) -> Result<Vertex, AllocationError> {
        let allocation = allocation::cheapest(price, demand_mw, fleet)?;
        let loads_mw = allocation.dc_loads_mw();
        let mut order: Vec<u32> = (0..price.len() as u32).collect();
        order.sort_by(|&a, &b| ranking(price, a, b));
        // A data center's load is fixed when it is opened, and the oracle stops after the one that
        // completes the service: the last with load.
        let opened = order
            .iter()
            .rposition(|&d| loads_mw[d as usize] > 0.0)
            .map_or(0, |i| i + 1);
        order.truncate(opened);
        let full = loads_mw
            .iter()
            .zip(&fleet.capacity_mw)
            .map(|(load, cap)| cap - load <= FULL_TOL_MW)
            .collect();
        Ok(Vertex {
            opened: order,
            full,
            loads_mw,
            flows: allocation.flows(),
        })
    }

    /// Whether this allocation is still a cheapest one at `price`: the oracle there would open the
    /// same data centers, in an order whose every prefix is one of the old order's plus full
    /// data centers (which leaves every load as it was, see the module doc).
    pub fn still_cheapest(&self, price: &[f64]) -> bool {
        let Some(&last) = self.opened.iter().max_by(|&&a, &&b| ranking(price, a, b)) else {
            return true; // no demand: nothing is opened at any prices
        };
        // The opened ones rank at or before the last of them; no other data center may.
        let at_or_before = (0..price.len() as u32)
            .filter(|&d| ranking(price, d, last).is_le())
            .count();
        if at_or_before != self.opened.len() {
            return false;
        }
        let mut order = self.opened.clone();
        order.sort_by(|&a, &b| ranking(price, a, b));
        let mut seen = vec![false; price.len()];
        let (mut old_prefix, mut not_full_beyond) = (0, 0);
        for d in order {
            seen[d as usize] = true;
            not_full_beyond += usize::from(!self.full[d as usize]);
            while let Some(&next) = self.opened.get(old_prefix).filter(|&&o| seen[o as usize]) {
                not_full_beyond -= usize::from(!self.full[next as usize]);
                old_prefix += 1;
            }
            if not_full_beyond > 0 {
                return false;
            }
        }
        true
    }

    /// The value of the allocation at `price`, USD per hour.
    pub fn value_usd(&self, price: &[f64]) -> f64 {
        price.iter().zip(&self.loads_mw).map(|(p, y)| p * y).sum()
    }

    /// The allocation, as a dense flow matrix.
    pub fn allocation(&self, n_gateways: usize) -> Allocation {
        let mut flows = vec![0.0; self.loads_mw.len() * n_gateways];
        for f in &self.flows {
            flows[flow_index(n_gateways, f.dc as usize, f.gateway as usize)] = f.load_mw;
        }
        Allocation::from_flows(n_gateways, flows)
    }
}
