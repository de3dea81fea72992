//! The JSON Schema itself: it accepts what the contract allows and rejects what it forbids.

mod support;

use serde_json::json;
use tlsprobe::report::*;

fn connect_failed() -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        target: Target {
            host: "example.com".into(),
            port: 443,
            sni: Some("example.com".into()),
            address: None,
        },
        status: Status::ConnectFailed,
        error: Some(ProbeError {
            phase: Phase::Connect,
            kind: ErrorKind::ConnectionRefused,
            message: "connection refused".into(),
            alert: None,
            hint: Some("check the port".into()),
        }),
        timing_ms: Timing {
            dns: Some(1.0),
            total: 2.0,
            ..Timing::default()
        },
        protocol: None,
        handshake: vec![],
        certificates: vec![],
        verification: None,
        checks: vec![],
    }
}

#[test]
fn a_serialised_report_is_valid() {
    let v = serde_json::to_value(connect_failed()).unwrap();
    support::assert_valid(&v);
    for key in ["error", "protocol", "verification", "timing_ms"] {
        assert!(v.get(key).is_some(), "{key} present even when null");
    }
    assert!(v["timing_ms"]["connect"].is_null());
}

#[test]
fn the_schema_rejects_what_the_contract_forbids() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schema/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good = serde_json::to_value(connect_failed()).unwrap();
    assert!(validator.is_valid(&good));

    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("protocol");
    assert!(
        !validator.is_valid(&missing),
        "a missing field must be rejected"
    );

    let mut bad_status = good.clone();
    bad_status["status"] = json!("fine");
    assert!(!validator.is_valid(&bad_status));

    let mut bad_kind = good.clone();
    bad_kind["error"]["kind"] = json!("refused");
    assert!(!validator.is_valid(&bad_kind));

    let mut extra = good.clone();
    extra["target"]["ip"] = json!("1.2.3.4");
    assert!(
        !validator.is_valid(&extra),
        "a renamed or unknown field must be rejected"
    );

    let mut renamed = good.clone();
    renamed["handshake"] = json!([{
        "t_ms": 0.0, "from": "client", "record": "handshake", "type": "ClientHello", "length": 10,
        "encrypted": false, "server_name": "example.com"
    }]);
    assert!(
        !validator.is_valid(&renamed),
        "a message field outside its type's list"
    );

    let mut bad_code = good;
    bad_code["verification"] = json!({
        "verified": false, "trust_store": "mozilla", "hostname_matches": true,
        "errors": [{"code": "expired_cert", "cert_index": 0, "message": "x"}], "warnings": [], "path": []
    });
    assert!(!validator.is_valid(&bad_code));
}
