//! E-invoice reader (Factur-X PDF, CII, UBL): any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = recouvre::import::einvoice::read("fuzz.xml", data);
});
