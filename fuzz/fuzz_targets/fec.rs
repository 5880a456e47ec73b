//! FEC reader: any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = recouvre::import::fec::read("fuzz.txt", data);
});
