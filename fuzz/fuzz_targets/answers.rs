//! A server's answer to a raw ClientHello (the scan and the failure diagnosis read it), and
//! the same bytes read as a TLS 1.0-1.2 first flight.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tlsprobe::scan::server_answer::interpret(data);
    let _ = tlsprobe::wire::first_flight::read(data);
});
