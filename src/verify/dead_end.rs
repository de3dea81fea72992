//! A path that reaches no trust anchor: why, in the terms a person can act on.
//!
//! The usual case is a private CA: the server sends its leaf and intermediate, and the root is
//! simply not in the trust store. That is `unknown_issuer`, and the fix is on the client
//! (`--ca-file`), not the server. `incomplete_chain` is said only when the missing certificate
//! is known to be an intermediate: the leaf came alone and names where its issuer can be
//! fetched (caIssuers), which CAs put only in certificates their intermediates issue.

use super::faults::Fault;
use super::path_view::PathView;
use super::served::name_string;
use crate::report::VerifyCode;

/// The faults of a dead-end path.
pub fn diagnose(p: &PathView<'_>, store: &str) -> Vec<Fault> {
    let top = p.top();
    let Some(f) = p.facts(top).filter(|f| f.parsed) else {
        return vec![Fault::new(
            VerifyCode::Malformed,
            Some(top),
            format!(
                "{} cannot be parsed, so no path can be built through it",
                p.who(top)
            ),
        )];
    };
    let from_server = p.input.from_server;
    if f.self_signed && top == 0 {
        return vec![Fault::new(
            VerifyCode::SelfSigned,
            Some(0),
            format!("the certificate is self-signed and not trusted by {store}"),
        )];
    }
    if f.self_signed {
        return vec![Fault::new(
            VerifyCode::UnknownIssuer,
            Some(top),
            format!(
                "the chain ends at the root {}, which is not in {store}",
                p.who(top)
            ),
        )];
    }
    let issuer = name_string(&f.issuer);
    let alone = p.candidate.certs.len() == 1;
    if alone && top == 0 {
        if let Some(url) = f.ca_issuers.first() {
            let sent = if from_server {
                "the server sent only the leaf"
            } else {
                "only the leaf was given"
            };
            return vec![Fault::new(
                VerifyCode::IncompleteChain,
                Some(0),
                format!(
                    "{sent}: its issuer {issuer} is an intermediate certificate (the leaf says it can be fetched from {url}), and it is needed to reach a root in {store}"
                ),
            )];
        }
    }
    let sent = if from_server {
        "sent by the server"
    } else {
        "among the certificates given"
    };
    vec![Fault::new(
        VerifyCode::UnknownIssuer,
        Some(top),
        format!(
            "the issuer of {}, {issuer}, is neither in {store} nor {sent}: it is a private or corporate root that is not trusted here, or an intermediate that is missing",
            p.who(top)
        ),
    )]
}
