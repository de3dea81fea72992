//! Certificate rendering: x509-parser on arbitrary DER, the report's view, the text view.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::SystemTime;

fuzz_target!(|data: &[u8]| {
    let (cert, _facts) = tlsprobe::cert::examine(data, SystemTime::UNIX_EPOCH);
    let file = tlsprobe::report::CertFile {
        schema_version: 1,
        file: "fuzz".into(),
        certificates: vec![cert],
        findings: Vec::new(),
        checks: Vec::new(),
        error: None,
    };
    let mut out = Vec::new();
    let _ = tlsprobe::render::text::cert_file(&mut out, &file, 2);
    let _ = tlsprobe::verify::ocsp::parse(data);
    let _ = tlsprobe::verify::ocsp_check::check(data, data, Some(data), 0);
    let _ = tlsprobe::verify::check_profile(data);
});
