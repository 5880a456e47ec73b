//! CSV reader: any bytes, recognised columns or none, invoices or payments.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recouvre::import::csv;
use recouvre::import::mapping::CsvKind;

fuzz_target!(|data: &[u8]| {
    let (batch, _) = csv::read("fuzz.csv", data, None, None);
    let _ = batch.len();
    let _ = csv::read("fuzz.csv", data, None, Some(CsvKind::Payments));
    let _ = csv::layout("fuzz.csv", data, None, Some(CsvKind::Invoices));
});
