//! Recouvre's core: the receivables ledger, the French late-payment law and everything derived from
//! them. It knows nothing of Tauri, of the IPC format or of the terminal: the desktop shell and the
//! `recouvre` CLI call it and present what it returns.
//!
//! See `ARCHITECTURE.md` for the map and the invariants.

#![warn(missing_docs)]

pub mod dates;
pub mod demo;
pub mod documents;
pub mod dunning;
pub mod error;
pub mod identifiers;
pub mod import;
pub mod law;
pub mod ledger;
pub mod money;
pub mod parties;
pub mod receivables;
pub mod smtp;

pub use error::{Error, Field, Result};
pub use ledger::Ledger;
