//! Dunning: reminder scenarios, the daily agenda, promises, disputes, payment plans, case stages.

pub mod agenda;
pub mod calendar;
pub mod guard;
pub mod plan;
pub mod records;
pub mod scenario;
