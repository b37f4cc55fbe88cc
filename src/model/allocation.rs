//! One hour's allocation of gateway demand to data centers, and the cheapest feasible allocation
//! for given per-data-center unit prices: the step every hour-by-hour policy shares.
//!
//! With full routing the cheapest allocation is a greedy fill (exact: sort data centers by price,
//! fill each to capacity); with a mask it is the same greedy over a max flow
//! ([`super::routing::Routing::cheapest_flows`], exact by Edmonds' polymatroid greedy), checked
//! against the transportation LP through good_lp (`solver::lp::transport`) in the tests.

use super::Fleet;
use crate::error::AllocationError;

/// Tolerance (MW) for demand served, capacity and routing when checking an allocation.
pub const CHECK_TOL_MW: f64 = 1e-9;

/// Where the flow from `gateway` to `dc` sits in a data-center-major flow matrix.
pub fn flow_index(n_gateways: usize, dc: usize, gateway: usize) -> usize {
    dc * n_gateways + gateway
}

/// The load one gateway sends to one data center in an hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    /// The data center's index.
    pub dc: u32,
    /// The gateway's index.
    pub gateway: u32,
    /// MW.
    pub load_mw: f64,
}

/// Load of each (data center, gateway) pair in one hour, MW, data-center major.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    n_gateways: usize,
    flows_mw: Vec<f64>,
}

impl Allocation {
    /// An allocation from a data-center-major matrix of flows.
    pub fn from_flows(n_gateways: usize, flows_mw: Vec<f64>) -> Allocation {
        Allocation { n_gateways, flows_mw }
    }

    /// The pair-by-pair mean of `allocations` (of one fleet); `None` if there are none. Demand,
    /// capacity and routing constraints are convex, so the mean of feasible allocations of one
    /// hour is feasible.
    pub fn mean(allocations: &[&Allocation]) -> Option<Allocation> {
        let first = allocations.first()?;
        let n = allocations.len() as f64;
        let mut flows_mw = vec![0.0; first.flows_mw.len()];
        for allocation in allocations {
            flows_mw
                .iter_mut()
                .zip(&allocation.flows_mw)
                .for_each(|(f, a)| *f += a);
        }
        flows_mw.iter_mut().for_each(|f| *f /= n);
        Some(Allocation::from_flows(first.n_gateways, flows_mw))
    }

    /// Splits per-data-center loads over gateways in proportion to demand (valid when every pair
    /// is allowed and the loads add up to the total demand).
    pub fn split_loads(loads_mw: &[f64], demand_mw: &[f64]) -> Allocation {
        let total: f64 = demand_mw.iter().sum();
        let flows_mw = loads_mw
            .iter()
            .flat_map(|&load| {
                demand_mw
                    .iter()
                    .map(move |&d| if total > 0.0 { load * d / total } else { 0.0 })
            })
            .collect();
        Allocation {
            n_gateways: demand_mw.len(),
            flows_mw,
        }
    }

    /// Every pair's flow, MW, data-center major.
    pub fn flows_mw(&self) -> &[f64] {
        &self.flows_mw
    }

    /// Flow from gateway `gateway` to data center `dc`, MW.
    pub fn flow_mw(&self, dc: usize, gateway: usize) -> f64 {
        self.flows_mw[flow_index(self.n_gateways, dc, gateway)]
    }

    /// The pairs that carry load (non-zero flows), data-center major: what a policy decided,
    /// kept compact (a gateway is usually served by one or two data centers).
    pub fn flows(&self) -> Vec<Flow> {
        let n = self.n_gateways.max(1);
        self.flows_mw
            .iter()
            .enumerate()
            .filter(|(_, mw)| **mw != 0.0)
            .map(|(i, &load_mw)| Flow {
                dc: (i / n) as u32,
                gateway: (i % n) as u32,
                load_mw,
            })
            .collect()
    }

    /// Load of each data center, MW.
    pub fn dc_loads_mw(&self) -> Vec<f64> {
        self.flows_mw
            .chunks(self.n_gateways)
            .map(|row| row.iter().sum())
            .collect()
    }

    /// Checks that the allocation serves every gateway's demand exactly, respects capacity and
    /// routing, and is non-negative, all to [`CHECK_TOL_MW`]. Says what is violated.
    pub fn check(&self, fleet: &Fleet, demand_mw: &[f64]) -> Result<(), AllocationError> {
        let n_dcs = fleet.dcs.len();
        if self.n_gateways != demand_mw.len() || self.flows_mw.len() != n_dcs * demand_mw.len() {
            return Err(AllocationError::Shape {
                found: self.flows_mw.len(),
                expected: n_dcs * demand_mw.len(),
            });
        }
        for (g, &demand) in demand_mw.iter().enumerate() {
            let served: f64 = (0..n_dcs).map(|d| self.flow_mw(d, g)).sum();
            // Written so that NaN fails every check.
            let served_ok = (served - demand).abs() <= CHECK_TOL_MW;
            if !served_ok {
                return Err(AllocationError::Unserved {
                    gateway: fleet.gateways[g].clone(),
                    served_mw: served,
                    demand_mw: demand,
                });
            }
            for d in 0..n_dcs {
                let flow = self.flow_mw(d, g);
                let allowed = if fleet.routing.allows(d, g) {
                    f64::INFINITY
                } else {
                    CHECK_TOL_MW
                };
                let flow_ok = flow >= -CHECK_TOL_MW && flow <= allowed;
                if !flow_ok {
                    return Err(AllocationError::NotAllowed {
                        gateway: fleet.gateways[g].clone(),
                        dc: fleet.dcs[d].clone(),
                        flow_mw: flow,
                    });
                }
            }
        }
        for (d, load) in self.dc_loads_mw().into_iter().enumerate() {
            let within = load <= fleet.capacity_mw[d] + CHECK_TOL_MW;
            if !within {
                return Err(AllocationError::OverCapacity {
                    dc: fleet.dcs[d].clone(),
                    load_mw: load,
                    capacity_mw: fleet.capacity_mw[d],
                });
            }
        }
        Ok(())
    }
}

/// The allocation of `demand_mw` that minimises the sum over data centers of
/// `unit_price[dc] x load[dc]` under the fleet's capacity and routing.
pub fn cheapest(unit_price: &[f64], demand_mw: &[f64], fleet: &Fleet) -> Result<Allocation, AllocationError> {
    if fleet.routing.is_full() {
        let loads = greedy_fill(unit_price, demand_mw.iter().sum(), &fleet.capacity_mw)?;
        return Ok(Allocation::split_loads(&loads, demand_mw));
    }
    let flows = fleet
        .routing
        .cheapest_flows(unit_price, demand_mw, &fleet.capacity_mw)
        .map_err(|short_mw| AllocationError::Short { short_mw })?;
    Ok(Allocation::from_flows(demand_mw.len(), flows))
}

/// Fills data centers in increasing order of price (ties by index) up to capacity.
pub fn greedy_fill(
    unit_price: &[f64],
    total_mw: f64,
    capacity_mw: &[f64],
) -> Result<Vec<f64>, AllocationError> {
    let mut order: Vec<usize> = (0..unit_price.len()).collect();
    order.sort_by(|&a, &b| unit_price[a].total_cmp(&unit_price[b]).then(a.cmp(&b)));
    let mut loads = vec![0.0; unit_price.len()];
    let mut left = total_mw;
    for d in order {
        if left <= 0.0 {
            break;
        }
        loads[d] = left.min(capacity_mw[d]);
        left -= loads[d];
    }
    if left > CHECK_TOL_MW {
        return Err(AllocationError::Short { short_mw: left });
    }
    Ok(loads)
}

/// Every gateway to its one allowed data center.
pub fn forced_allocation(
    dc_of: &[usize],
    demand_mw: &[f64],
    fleet: &Fleet,
) -> Result<Allocation, AllocationError> {
    let n_gateways = demand_mw.len();
    let mut flows = vec![0.0; fleet.dcs.len() * n_gateways];
    for (g, (&d, &demand)) in dc_of.iter().zip(demand_mw).enumerate() {
        flows[flow_index(n_gateways, d, g)] = demand;
    }
    let allocation = Allocation::from_flows(n_gateways, flows);
    allocation.check(fleet, demand_mw)?;
    Ok(allocation)
}

/// A feasible allocation from `shares` (data-center major: the share of gateway `g`'s demand
/// that data center `d` should serve), the way the Python package's Gymnasium environment maps
/// an action, with whether the last step was needed:
///
/// 1. each gateway's shares over the data centers its routing allows (negative, infinite or NaN
///    ones count as 0) are normalised to sum to 1, equal shares if they are all 0, and times its
///    demand;
/// 2. a data center over its capacity has every flow to it scaled down to fit;
/// 3. the demand left unserved goes to the capacity left at the lowest `unit_price` (the exact
///    greedy of [`cheapest`]);
/// 4. if that cannot serve it (possible under a routing mask only) or the result fails
///    [`Allocation::check`], the whole hour is allocated by [`cheapest`] in the order of the
///    demand step 1 sent to each data center, most first.
pub fn from_shares(
    shares: &[f64],
    unit_price: &[f64],
    demand_mw: &[f64],
    fleet: &Fleet,
) -> Result<(Allocation, bool), AllocationError> {
    let n_gateways = demand_mw.len();
    let mut flows = wanted_flows(shares, demand_mw, fleet);
    let wanted: Vec<f64> = flows.clone();
    let loads = Allocation::from_flows(n_gateways, flows.clone()).dc_loads_mw();
    for (d, load) in loads.into_iter().enumerate() {
        if load > fleet.capacity_mw[d] {
            let scale = fleet.capacity_mw[d] / load;
            flows[d * n_gateways..(d + 1) * n_gateways]
                .iter_mut()
                .for_each(|f| *f *= scale);
        }
    }
    let placed = Allocation::from_flows(n_gateways, flows.clone());
    let left_mw: Vec<f64> = (0..n_gateways)
        .map(|g| (demand_mw[g] - (0..fleet.dcs.len()).map(|d| placed.flow_mw(d, g)).sum::<f64>()).max(0.0))
        .collect();
    let spare = Fleet {
        capacity_mw: placed
            .dc_loads_mw()
            .iter()
            .zip(&fleet.capacity_mw)
            .map(|(load, capacity)| (capacity - load).max(0.0))
            .collect(),
        ..fleet.clone()
    };
    if let Ok(rest) = cheapest(unit_price, &left_mw, &spare) {
        flows.iter_mut().zip(&rest.flows_mw).for_each(|(f, r)| *f += r);
        let allocation = Allocation::from_flows(n_gateways, flows);
        if allocation.check(fleet, demand_mw).is_ok() {
            return Ok((allocation, false));
        }
    }
    let preference: Vec<f64> = (0..fleet.dcs.len())
        .map(|d| -wanted[d * n_gateways..(d + 1) * n_gateways].iter().sum::<f64>())
        .collect();
    Ok((cheapest(&preference, demand_mw, fleet)?, true))
}

/// Step 1 of [`from_shares`]: each gateway's demand split by its normalised allowed shares.
fn wanted_flows(shares: &[f64], demand_mw: &[f64], fleet: &Fleet) -> Vec<f64> {
    let (n_dcs, n_gateways) = (fleet.dcs.len(), demand_mw.len());
    let mut flows = vec![0.0; n_dcs * n_gateways];
    for (g, &demand) in demand_mw.iter().enumerate() {
        let allowed: Vec<usize> = (0..n_dcs).filter(|&d| fleet.routing.allows(d, g)).collect();
        let share = |d: usize| {
            let s = shares[flow_index(n_gateways, d, g)];
            if s.is_finite() && s > 0.0 { s } else { 0.0 }
        };
        let total: f64 = allowed.iter().map(|&d| share(d)).sum();
        for &d in &allowed {
            flows[flow_index(n_gateways, d, g)] = match total > 0.0 {
                true => demand * share(d) / total,
                false => demand / allowed.len() as f64,
            };
        }
    }
    flows
}
