//! The physical footprint model, as pure functions with units in their names: how weather, the
//! grid's fuel mix and hardware turn a kWh of server energy into on-site water, off-site water and
//! carbon (docs/model.md §2.2-2.4; "Making AI Less Thirsty", "Sustainable AI").
//!
//! - [`psychrometrics`]: wet-bulb temperature from dry bulb, humidity and pressure;
//! - [`cooling`]: on-site water use effectiveness (WUE) of a cooling system from wet bulb;
//! - [`grid`]: off-site water (EWIF) and carbon intensity of an hourly fuel mix;
//! - [`pue`]: power usage effectiveness, constant or rising with temperature;
//! - [`embodied`]: manufacturing carbon amortised per server-hour.

pub mod cooling;
pub mod embodied;
pub mod grid;
pub mod psychrometrics;
pub mod pue;
