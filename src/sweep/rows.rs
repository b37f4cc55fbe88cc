//! One run's `sweep.csv` rows, sharing work between runs: a policy's row depends on the run's
//! scenario but not on other policies' parameter tables (`[policy.<name>]`, and `[online]` for
//! `eglb-online`), so runs that differ only there compute it once. `eglb-offline`'s table stays
//! in every policy's key, since the gap reads its objective. Rows are kept only when some
//! override was left out of the key (no other run could share them otherwise).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::error::Result;
use crate::output::PolicyRows;
use crate::policy;

/// One row's summary values, once the first run needing them has computed them (others wait).
type Slot = Arc<Mutex<Option<Vec<String>>>>;

/// Rows computed so far, by what they depend on.
#[derive(Default)]
pub struct RowMemo(Mutex<HashMap<String, Slot>>);

/// The policy whose parameter table an override sets, if any.
fn policy_table_of(assignment: &str) -> Option<&str> {
    policy::table_of(assignment.split('=').next().unwrap_or_default())
}

/// What policy `name`'s row depends on among `overrides`, or `None` when that is all of them.
fn row_key(name: &str, overrides: &[String]) -> Option<String> {
    let reads = |o: &&String| policy_table_of(o).is_none_or(|p| p == name || p == "eglb-offline");
    let kept: Vec<&str> = overrides.iter().filter(reads).map(String::as_str).collect();
    (kept.len() < overrides.len()).then(|| format!("{name}\n{}", kept.join("\n")))
}

/// A run's summary values (without the run and axis cells), policy by policy, shared with
/// other runs through the memo.
pub struct RunRows<'a> {
    rows: PolicyRows<'a>,
    overrides: &'a [String],
}

impl<'a> RunRows<'a> {
    /// The rows of a run given by `overrides`, computed by `rows`.
    pub fn new(rows: PolicyRows<'a>, overrides: &'a [String]) -> Self {
        RunRows { rows, overrides }
    }

    /// Policy `name`'s summary values, from `memo` when another run computed them.
    pub fn values(&mut self, name: &str, memo: &RowMemo) -> Result<Vec<String>> {
        let Some(key) = row_key(name, self.overrides) else {
            return self.rows.values(name);
        };
        let slot = memo
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_default()
            .clone();
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(values) = &*slot {
            return Ok(values.clone());
        }
        let values = self.rows.values(name)?;
        *slot = Some(values.clone());
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_key_leaves_out_only_other_policies_tables() {
        let overrides: Vec<String> = [
            "routing=full",
            "policy.rhc.window=6",
            "online.step=2",
            "policy.eglb-offline.x=1",
        ]
        .map(String::from)
        .to_vec();
        let rhc = row_key("rhc", &overrides).unwrap();
        assert_eq!(
            rhc,
            "rhc\nrouting=full\npolicy.rhc.window=6\npolicy.eglb-offline.x=1"
        );
        let online = row_key("eglb-online", &overrides).unwrap();
        assert!(
            online.contains("online.step=2") && !online.contains("window"),
            "{online}"
        );
        assert_eq!(row_key("rhc", &overrides[..2]), None, "nothing left out: no key");
        assert_eq!(policy_table_of("policy.\"rhc\".window = 6"), Some("rhc"));
        assert_eq!(policy_table_of("forecast.sigma=0.1"), None);
    }
}
