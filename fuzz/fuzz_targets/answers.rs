//! A server's answer to a raw ClientHello (the scan and the failure diagnosis read it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tlsprobe::scan::server_answer::interpret(data);
});
