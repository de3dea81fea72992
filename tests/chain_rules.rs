//! The chain verifier's rules, each against `openssl s_server` serving a chain made with
//! `openssl ca`, and where it costs nothing more, the same files through `tlsprobe verify`:
//! what the verdict is, which certificate it names, and what the message tells a person.

mod support;

use std::path::Path;

use serde_json::Value;
use support::fixtures::Chain;
use support::openssl::s_server;
use support::openssl_chains::{ca_ext, leaf_ext, Cert, KeyKind, Pki, Spec, EXPIRED};
use support::{assert_every_error_has_a_hint, error_codes, run_json, verify_json};

/// Serve `chain` with `openssl s_server` and probe it as `localhost`, trusting `ca` (None:
/// the built-in roots), with `extra` options. Returns the exit code and report, and what
/// s_server said (for failure messages).
fn probe(chain: &Chain, ca: Option<&Path>, extra: &[&str]) -> (i32, Value, String) {
    let server = s_server(chain, &[]);
    let mut args: Vec<&str> = Vec::new();
    if let Some(ca) = ca {
        args.extend(["--ca-file", ca.to_str().expect("utf-8 path")]);
    }
    args.extend_from_slice(extra);
    let target = format!("localhost:{}", server.port());
    args.push(&target);
    let (code, r) = run_json(&args);
    assert_every_error_has_a_hint(&r);
    (code, r, server.log())
}

/// `tlsprobe verify --host localhost` of the served chain's files, trusting `ca`.
fn verify(chain: &Chain, ca: Option<&Path>, extra: &[&str]) -> (i32, Value) {
    let mut args: Vec<&str> = vec!["--host", "localhost"];
    if let Some(ca) = ca {
        args.extend(["--ca-file", ca.to_str().expect("utf-8 path")]);
    }
    args.extend_from_slice(extra);
    args.push(chain.chain_pem.to_str().expect("utf-8 path"));
    verify_json(&args)
}

fn errors(r: &Value) -> &Vec<Value> {
    r["verification"]["errors"].as_array().expect("errors[]")
}

fn warnings(r: &Value) -> &Vec<Value> {
    r["verification"]["warnings"]
        .as_array()
        .expect("warnings[]")
}

/// The one error with `code`.
fn the_error<'a>(r: &'a Value, code: &str) -> &'a Value {
    let found: Vec<&Value> = errors(r).iter().filter(|e| e["code"] == code).collect();
    assert_eq!(found.len(), 1, "one {code} error expected: {r:#}");
    found[0]
}

fn assert_verified(code: i32, r: &Value, log: &str) {
    assert_eq!(code, 0, "{r:#}\n{log}");
    assert_eq!(r["verification"]["verified"], true, "{r:#}");
    assert_eq!(error_codes(r), Vec::<String>::new(), "{r:#}");
}

fn assert_only(code: i32, r: &Value, expected: &str, log: &str) {
    assert_eq!(code, 1, "{r:#}\n{log}");
    assert_eq!(r["verification"]["verified"], false, "{r:#}");
    assert_eq!(error_codes(r), [expected], "{r:#}");
}

/// A root, an intermediate under it and a localhost leaf under that, all valid now.
struct Pyramid {
    root: Cert,
    inter: Cert,
    leaf: Cert,
}

fn pyramid(pki: &Pki, root_cn: &str, inter_extra: &str) -> Pyramid {
    let root_subject = format!("/CN={root_cn}");
    under(
        pki,
        pki.issue(Spec::ca("root", &root_subject, None, "")),
        inter_extra,
    )
}

/// An intermediate and a localhost leaf under `root`.
fn under(pki: &Pki, root: Cert, inter_extra: &str) -> Pyramid {
    let inter = pki.issue(Spec::ca(
        "inter",
        "/CN=Test Intermediate",
        Some(&root),
        inter_extra,
    ));
    let leaf = pki.issue(Spec::server(
        "leaf",
        "/CN=localhost",
        "DNS:localhost",
        &inter,
    ));
    Pyramid { root, inter, leaf }
}

// --- unknown_issuer and incomplete_chain -------------------------------------------------

#[test]
fn a_private_root_missing_from_the_store_is_unknown_issuer_not_incomplete_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Private Test Root", "");
    let stranger = pki.issue(Spec::ca("stranger", "/CN=Some Other Root", None, ""));
    let chain = pki.served("served", &p.leaf, &[&p.inter]);

    let (code, r, log) = probe(&chain, Some(&stranger.pem), &[]);
    assert_only(code, &r, "unknown_issuer", &log);
    assert_eq!(r["status"], "verify_failed");
    assert_eq!(r["verification"]["hostname_matches"], true);
    let e = the_error(&r, "unknown_issuer");
    assert_eq!(
        e["cert_index"], 1,
        "the intermediate's issuer is missing: {e:#}"
    );
    let message = e["message"].as_str().expect("message");
    assert!(message.contains("CN=Private Test Root"), "{message}");
    assert!(message.contains("private or corporate root"), "{message}");
    assert!(
        e["hint"].as_str().is_some_and(|h| h.contains("--ca-file")),
        "{e:#}"
    );

    // The same files offline, against the built-in roots.
    let (code, v) = verify(&chain, None, &[]);
    assert_only(code, &v, "unknown_issuer", "");
    assert_eq!(v["verification"]["trust_store"], "mozilla");
    let e = the_error(&v, "unknown_issuer");
    let message = e["message"].as_str().expect("message");
    assert!(message.contains("CN=Private Test Root"), "{message}");
    assert!(
        e["hint"].as_str().is_some_and(|h| h.contains("--ca-file")),
        "{e:#}"
    );

    // And with the root trusted, it verifies: the message above was about the store only.
    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_verified(code, &r, &log);
}

#[test]
fn a_leaf_sent_alone_that_names_its_issuers_url_is_incomplete_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "AIA Test Root", "");
    let url = "http://pki.example.test/intermediate.crt";
    let aia_leaf = pki.issue(Spec {
        ext: leaf_ext(
            "DNS:localhost",
            "serverAuth",
            &format!("authorityInfoAccess=caIssuers;URI:{url}\n"),
        ),
        ..Spec::server("aia-leaf", "/CN=localhost", "DNS:localhost", &p.inter)
    });
    let chain = pki.served("alone", &aia_leaf, &[]);

    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &r, "incomplete_chain", &log);
    let e = the_error(&r, "incomplete_chain");
    assert_eq!(e["cert_index"], 0);
    let message = e["message"].as_str().expect("message");
    assert!(message.contains(url), "{message}");

    let (code, v) = verify(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &v, "incomplete_chain", "");

    // Given the intermediate, the same leaf verifies.
    let (code, v) = verify(
        &chain,
        Some(&p.root.pem),
        &["--untrusted", p.inter.pem_str()],
    );
    assert_verified(code, &v, "");
}

#[test]
fn a_leaf_sent_alone_without_a_ca_issuers_url_is_unknown_issuer() {
    // Nothing says the missing issuer is an intermediate rather than a private root.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Plain Test Root", "");
    let chain = pki.served("alone", &p.leaf, &[]);
    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &r, "unknown_issuer", &log);
    let e = the_error(&r, "unknown_issuer");
    assert_eq!(e["cert_index"], 0);
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("CN=Test Intermediate")),
        "{e:#}"
    );
}

// --- only the verified path can fail ----------------------------------------------------

/// The "chain of pain": the server sends leaf, intermediate, and the new root cross-signed
/// by an old root (same subject and key as the trusted new root), long expired. Returns the
/// chain and the new root.
fn chain_of_pain(pki: &Pki) -> (Chain, Cert) {
    let old_root = pki.issue(Spec::ca("old-root", "/CN=Old Test Root", None, ""));
    let p = pyramid(pki, "New Test Root", "");
    let cross = pki.issue(
        Spec::ca("cross", "/CN=New Test Root", Some(&old_root), "")
            .key(&p.root.key)
            .window(EXPIRED),
    );
    (pki.served("served", &p.leaf, &[&p.inter, &cross]), p.root)
}

/// The probe's report and `tlsprobe verify`'s, for one chain.
fn both(chain: &Chain, ca: &Path) -> [(i32, Value, String); 2] {
    let (code, v) = verify(chain, Some(ca), &[]);
    [probe(chain, Some(ca), &[]), (code, v, String::new())]
}

#[test]
fn chain_of_pain_verifies_through_the_trusted_new_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, root) = chain_of_pain(&pki);
    for (code, r, log) in both(&chain, &root.pem) {
        assert_verified(code, &r, &log);
        assert_eq!(
            support::path_subjects(&r),
            ["CN=localhost", "CN=Test Intermediate", "CN=New Test Root"],
            "{r:#}"
        );
    }
}

#[test]
fn chain_of_pain_warns_that_the_unused_cross_sign_expired() {
    // The cross-sign shares the trusted root's subject and key, but it is not that root: it
    // is not on the path (the anchor comes from --ca-file), so it is an extra certificate,
    // and what is wrong with it is that it expired.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, root) = chain_of_pain(&pki);
    for (code, r, log) in both(&chain, &root.pem) {
        assert_verified(code, &r, &log);
        let extra: Vec<&Value> = warnings(&r)
            .iter()
            .filter(|w| w["code"] == "extra_certificates")
            .collect();
        assert_eq!(extra.len(), 1, "{r:#}");
        assert_eq!(extra[0]["cert_index"], 2, "{r:#}");
        let message = extra[0]["message"].as_str().expect("message");
        assert!(message.contains("expired"), "{message}");
        let anchor = r["verification"]["path"]
            .as_array()
            .and_then(|p| p.last())
            .expect("an anchor");
        assert_eq!(anchor["cert_index"], Value::Null, "the store's root: {r:#}");
    }
}

#[test]
fn an_impostor_intermediate_sent_first_does_not_leak_into_the_verdict() {
    // Same subject name as the real intermediate, another key, issued by the same root: the
    // path through it breaks at the leaf's signature; the one through the real intermediate
    // holds.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Impostor Test Root", "");
    let impostor = pki.issue(Spec::ca(
        "impostor",
        "/CN=Test Intermediate",
        Some(&p.root),
        "",
    ));
    let chain = pki.served("served", &p.leaf, &[&impostor, &p.inter]);

    for (code, r, log) in [probe(&chain, Some(&p.root.pem), &[]), {
        let (code, v) = verify(&chain, Some(&p.root.pem), &[]);
        (code, v, String::new())
    }] {
        assert_verified(code, &r, &log);
        let path_indices: Vec<&Value> = r["verification"]["path"]
            .as_array()
            .expect("path")
            .iter()
            .map(|e| &e["cert_index"])
            .collect();
        assert_eq!(
            path_indices,
            [&Value::from(0), &Value::from(2), &Value::Null]
        );
        let extra: Vec<&Value> = warnings(&r)
            .iter()
            .filter(|w| w["code"] == "extra_certificates")
            .collect();
        assert_eq!(extra.len(), 1, "{r:#}");
        assert_eq!(extra[0]["cert_index"], 1, "the impostor: {r:#}");
    }
}

// --- the trust anchor's own certificate ---------------------------------------------------

#[test]
fn an_expired_trust_anchor_is_expired_with_no_cert_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = under(
        &pki,
        pki.issue(Spec::ca("root", "/CN=Expired Test Root", None, "").window(EXPIRED)),
        "",
    );
    let (chain, root) = (pki.served("served", &p.leaf, &[&p.inter]), p.root);

    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_only(code, &r, "expired", &log);
    let e = the_error(&r, "expired");
    assert_eq!(e["cert_index"], Value::Null, "the root was not sent: {e:#}");
    let message = e["message"].as_str().expect("message");
    assert!(message.contains("trust anchor"), "{message}");
    assert!(message.contains("CN=Expired Test Root"), "{message}");

    let (code, v) = verify(&chain, Some(&root.pem), &[]);
    assert_only(code, &v, "expired", "");
    assert_eq!(the_error(&v, "expired")["cert_index"], Value::Null);
}

#[test]
fn a_weak_trust_anchor_is_weak_key_with_no_cert_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = under(
        &pki,
        pki.issue(
            Spec::ca("root", "/CN=RSA-1024 Test Root", None, "").key_kind(KeyKind::Rsa(1024)),
        ),
        "",
    );
    let (chain, root) = (pki.served("served", &p.leaf, &[&p.inter]), p.root);

    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_only(code, &r, "weak_key", &log);
    let e = the_error(&r, "weak_key");
    assert_eq!(e["cert_index"], Value::Null, "{e:#}");
    let message = e["message"].as_str().expect("message");
    assert!(message.contains("CN=RSA-1024 Test Root"), "{message}");
    assert!(message.contains("1024"), "{message}");
}

// --- name constraints -------------------------------------------------------------------

const ONLY_EXAMPLE_COM: &str = "nameConstraints=critical,permitted;DNS:example.com\n";

#[test]
fn a_root_constrained_to_example_com_cannot_vouch_for_localhost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let Pyramid { root, inter, leaf } = under(
        &pki,
        pki.issue(Spec::ca(
            "root",
            "/CN=Constrained Test Root",
            None,
            ONLY_EXAMPLE_COM,
        )),
        "",
    );
    let chain = pki.served("served", &leaf, &[&inter]);
    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_only(code, &r, "name_constraints", &log);

    // Within the constraint, the same CAs verify.
    let inside = pki.issue(Spec::server(
        "inside",
        "/CN=www.example.com",
        "DNS:www.example.com",
        &inter,
    ));
    let inside = pki.served("inside", &inside, &[&inter]);
    let (code, v) = verify_json(&[
        "--ca-file",
        root.pem_str(),
        "--host",
        "www.example.com",
        inside.chain_pem.to_str().expect("utf-8 path"),
    ]);
    assert_verified(code, &v, "");
}

#[test]
fn an_intermediate_constrained_to_example_com_cannot_issue_for_localhost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Test Root", ONLY_EXAMPLE_COM);
    let chain = pki.served("served", &p.leaf, &[&p.inter]);
    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &r, "name_constraints", &log);
    assert_eq!(the_error(&r, "name_constraints")["cert_index"], 0, "{r:#}");

    let (code, v) = verify(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &v, "name_constraints", "");
}

/// An intermediate whose directoryName constraint permits only subjects under O=Example.
const ONLY_O_EXAMPLE: &str =
    "nameConstraints=critical,permitted;dirName:only_example\n[only_example]\nO=Example\n";

#[test]
fn a_directory_name_constraint_the_leaf_satisfies_verifies() {
    // webpki alone refuses every directoryName constraint; tlsprobe checks them.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Test Root", ONLY_O_EXAMPLE);
    let leaf = pki.issue(Spec::server(
        "example-leaf",
        "/O=Example/CN=localhost",
        "DNS:localhost",
        &p.inter,
    ));
    let chain = pki.served("served", &leaf, &[&p.inter]);
    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_verified(code, &r, &log);
    assert_eq!(r["certificates"][0]["subject"], "O=Example, CN=localhost");

    let (code, v) = verify(&chain, Some(&p.root.pem), &[]);
    assert_verified(code, &v, "");
}

#[test]
fn a_directory_name_constraint_the_leaf_violates_is_name_constraints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Test Root", ONLY_O_EXAMPLE);
    let leaf = pki.issue(Spec::server(
        "other-leaf",
        "/O=Other/CN=localhost",
        "DNS:localhost",
        &p.inter,
    ));
    let chain = pki.served("served", &leaf, &[&p.inter]);
    let (code, r, log) = probe(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &r, "name_constraints", &log);
    let e = the_error(&r, "name_constraints");
    assert_eq!(e["cert_index"], 0, "{e:#}");

    let (code, v) = verify(&chain, Some(&p.root.pem), &[]);
    assert_only(code, &v, "name_constraints", "");
}

// --- path length ------------------------------------------------------------------------

#[test]
fn path_len_zero_with_another_intermediate_below_is_path_length() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let root = pki.issue(Spec::ca("root", "/CN=Test Root", None, ""));
    let upper = pki.issue(Spec {
        ext: ca_ext(true, "").replace("CA:TRUE", "CA:TRUE,pathlen:0"),
        ..Spec::ca("upper", "/CN=Path Length Zero CA", Some(&root), "")
    });
    let lower = pki.issue(Spec::ca("lower", "/CN=Lower CA", Some(&upper), ""));
    let leaf = pki.issue(Spec::server(
        "leaf",
        "/CN=localhost",
        "DNS:localhost",
        &lower,
    ));
    let chain = pki.served("served", &leaf, &[&lower, &upper]);

    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_only(code, &r, "path_length", &log);
    let e = the_error(&r, "path_length");
    assert_eq!(
        e["cert_index"], 2,
        "the CA whose constraint is broken: {e:#}"
    );
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("CN=Path Length Zero CA")),
        "{e:#}"
    );

    let (code, v) = verify(&chain, Some(&root.pem), &[]);
    assert_only(code, &v, "path_length", "");

    // One intermediate below the root, under the same constraint, is fine.
    let short_leaf = pki.issue(Spec::server(
        "short-leaf",
        "/CN=localhost",
        "DNS:localhost",
        &upper,
    ));
    let short = pki.served("short", &short_leaf, &[&upper]);
    let (code, v) = verify(&short, Some(&root.pem), &[]);
    assert_verified(code, &v, "");
}

// --- revocation lists -------------------------------------------------------------------

/// A root, an intermediate, and a localhost leaf (served with the intermediate); the
/// intermediate has revoked another leaf, then this one. Returns the chain, the root, a CRL
/// listing only the other leaf, one listing both, and the pyramid.
fn revocations(pki: &Pki) -> (Chain, std::path::PathBuf, std::path::PathBuf, Pyramid) {
    let p = pyramid(pki, "CRL Test Root", "");
    let neighbour = pki.issue(Spec::server(
        "neighbour",
        "/CN=neighbour.test",
        "DNS:neighbour.test",
        &p.inter,
    ));
    pki.revoke(&p.inter, &neighbour);
    let others_revoked = pki.crl(&p.inter, "neighbour-revoked.crl.pem");
    pki.revoke(&p.inter, &p.leaf);
    let leaf_revoked = pki.crl(&p.inter, "leaf-revoked.crl.pem");
    let chain = pki.served("served", &p.leaf, &[&p.inter]);
    (chain, others_revoked, leaf_revoked, p)
}

fn utf8(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_crl_that_revokes_the_leaf_is_revoked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, _, leaf_revoked, p) = revocations(&pki);
    let root = Some(p.root.pem.as_path());
    let crl = ["--crl-file", utf8(&leaf_revoked)];

    let (code, r, log) = probe(&chain, root, &crl);
    assert_only(code, &r, "revoked", &log);
    assert_eq!(r["status"], "verify_failed");
    let (code, v) = verify(&chain, root, &crl);
    assert_only(code, &v, "revoked", "");
}

#[test]
fn a_crl_that_does_not_list_the_leaf_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, others_revoked, _, p) = revocations(&pki);
    let root = Some(p.root.pem.as_path());
    let crl = ["--crl-file", utf8(&others_revoked)];

    let (code, r, log) = probe(&chain, root, &crl);
    assert_verified(code, &r, &log);
    let (code, v) = verify(&chain, root, &crl);
    assert_verified(code, &v, "");
}

#[test]
fn revoked_names_the_revoked_certificate() {
    // The leaf revoked by the intermediate's CRL is certificate 0; the intermediate revoked
    // by the root's CRL is certificate 1. A user with several CRLs needs to know which.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, _, leaf_revoked, p) = revocations(&pki);
    let root = Some(p.root.pem.as_path());

    let (code, r, log) = probe(&chain, root, &["--crl-file", utf8(&leaf_revoked)]);
    assert_only(code, &r, "revoked", &log);
    assert_eq!(the_error(&r, "revoked")["cert_index"], 0, "{r:#}");

    pki.revoke(&p.root, &p.inter);
    let root_crl = pki.crl(&p.root, "root.crl.pem");
    let (code, v) = verify(&chain, root, &["--crl-file", utf8(&root_crl)]);
    assert_only(code, &v, "revoked", "");
    assert_eq!(the_error(&v, "revoked")["cert_index"], 1, "{v:#}");
}

// --- where webpki's own answer is about another path ----------------------------------------

/// A root, a self-issued intermediate under the root's own name (another key) with `extra`
/// lines, and a localhost leaf under it: webpki tries the leaf against the root directly on
/// the way, fails its signature, and that error outranks whatever stops the real path.
fn self_issued(pki: &Pki, extra: &str) -> (Chain, Cert) {
    let root = pki.issue(Spec::ca("root", "/CN=Same Name Root", None, ""));
    let inter = pki.issue(Spec::ca("inter", "/CN=Same Name Root", Some(&root), extra));
    let leaf = pki.issue(Spec::server(
        "leaf",
        "/CN=localhost",
        "DNS:localhost",
        &inter,
    ));
    (pki.served("served", &leaf, &[&inter]), root)
}

#[test]
fn a_self_issued_intermediate_under_the_roots_name_verifies() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, root) = self_issued(&pki, "");
    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_verified(code, &r, &log);
}

#[test]
fn a_self_issued_intermediate_restricted_to_client_auth_is_bad_usage_not_hidden() {
    // openssl verify: "unsuitable certificate purpose" at depth 1.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, root) = self_issued(&pki, "extendedKeyUsage=clientAuth\n");
    let (code, r, log) = probe(&chain, Some(&root.pem), &[]);
    assert_only(code, &r, "bad_usage", &log);
    assert_eq!(the_error(&r, "bad_usage")["cert_index"], 1, "{r:#}");
    let (code, v) = verify(&chain, Some(&root.pem), &[]);
    assert_only(code, &v, "bad_usage", "");
}

#[test]
fn a_self_issued_intermediate_with_an_unknown_critical_extension_is_bad_extension() {
    // openssl verify: "unhandled critical extension".
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let (chain, root) = self_issued(&pki, "1.2.3.4.5=critical,ASN1:NULL\n");
    let (code, v) = verify(&chain, Some(&root.pem), &[]);
    assert_only(code, &v, "bad_extension", "");
    assert_eq!(the_error(&v, "bad_extension")["cert_index"], 1, "{v:#}");
}

// --- a leaf that is itself in the trust store -----------------------------------------------

#[test]
fn a_self_signed_leaf_in_the_store_is_trusted_for_its_purpose_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let mut spec = Spec::ca("self", "/CN=localhost", None, "");
    spec.ext = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost\nsubjectKeyIdentifier=hash\n".into();
    let good = pki.issue(spec);
    let (code, v) = verify_json(&[
        "--host",
        "localhost",
        "--ca-file",
        good.pem_str(),
        good.pem_str(),
    ]);
    assert_eq!(code, 0, "{v:#}");

    let mut spec = Spec::ca("client", "/CN=localhost", None, "");
    spec.ext = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:localhost\nsubjectKeyIdentifier=hash\n".into();
    let client = pki.issue(spec);
    let (code, v) = verify_json(&[
        "--host",
        "localhost",
        "--ca-file",
        client.pem_str(),
        client.pem_str(),
    ]);
    assert_only(code, &v, "bad_usage", "");
}

#[test]
fn a_ca_issued_leaf_alone_in_the_store_still_needs_its_issuer() {
    // As openssl verify without -partial_chain: the store holding the leaf is not a path.
    let dir = tempfile::tempdir().expect("tempdir");
    let pki = Pki::new(dir.path());
    let p = pyramid(&pki, "Leaf Store Root", "");
    let (code, v) = verify_json(&[
        "--host",
        "localhost",
        "--ca-file",
        p.leaf.pem_str(),
        p.leaf.pem_str(),
    ]);
    assert_only(code, &v, "unknown_issuer", "");
}
