//! Dunning: reminder scenarios, the daily agenda, promises, disputes, payment plans, case stages.

pub mod calendar;
pub mod plan;
pub mod scenario;
