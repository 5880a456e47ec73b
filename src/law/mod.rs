//! The French late-payment law: rates as data, penalties and interest, prescription.
pub mod facts;
pub mod interest;
pub mod prescription;
pub mod rates;
pub mod statement;
