//! The French late-payment law: rates as data, penalties and interest, prescription.
pub mod interest;
pub mod rates;
