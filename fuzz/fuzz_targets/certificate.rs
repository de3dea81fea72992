//! Certificate rendering: x509-parser on arbitrary DER, the report's view, the text view.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::SystemTime;

/// A log whose ID is the SHA-256 of its key ("AAAA"): every SCT of another log is unknown, so
/// the fuzzer that finds this log's ID reaches the signature check.
const LOGS: &str = r#"{"operators":[{"name":"Fuzz","logs":[{"description":"fuzz","log_id":"cJ6AyISHokEeHuTfufIqhhSS0gxHZRUMDHlKvXD4FHw=","key":"AAAA"}]}]}"#;

fuzz_target!(|data: &[u8]| {
    let (mut cert, _facts) = tlsprobe::cert::examine(data, SystemTime::UNIX_EPOCH);
    // The SCTs judged: the precertificate rebuilt from the DER, the signed data, the check.
    let logs = tlsprobe::ct::LogList::parse(LOGS.as_bytes()).expect("the fuzz log list");
    let delivered = tlsprobe::ct::Delivered {
        ocsp: data,
        tls_extension: data,
    };
    tlsprobe::ct::judge(&mut cert, data, delivered, Some([7; 32]), Some(&logs));
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
