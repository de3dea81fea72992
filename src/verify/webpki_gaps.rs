//! What webpki would have said about a path when its own answer is about another one.
//!
//! webpki ranks the errors of every path it tries and returns the highest. Two of its answers
//! can hide the real path's verdict: "bad signature" from a shorter path tried on the way (a
//! same-name anchor over a self-issued intermediate), and "name constraints" for the forms it
//! refuses outright (directoryName, rfc822Name). In both cases the real path did fail inside
//! webpki, but the error that stopped it is unknown. So everything webpki checks on a path is
//! checked here, on exactly that path: name constraints (ours, every form), path length, each
//! certificate's extended key usage for the purpose, a CA used as the leaf. Unknown critical
//! extensions, validity and algorithms are already judged for every path (`rfc5280.rs`,
//! `judge.rs`, `strength.rs`).

use super::faults::Fault;
use super::path_view::{Anchor, PathView};
use super::{name_constraints, Purpose};
use crate::report::VerifyCode;

/// The first fault webpki would have found on the path, judged by us; `None` when there is
/// none.
pub fn judge(view: &PathView<'_>) -> Option<Fault> {
    if let Some(f) = name_constraints_fault(view) {
        return Some(f);
    }
    if let Some(i) = view.path_len_violator() {
        return Some(Fault::new(
            VerifyCode::PathLength,
            Some(i),
            format!(
                "the path has more CAs below {} than its pathLenConstraint allows",
                view.who(i)
            ),
        ));
    }
    if let Some(i) = eku_refuses(view) {
        return Some(eku_fault(view, i));
    }
    if view.facts(0).is_some_and(|f| f.is_ca)
        && view.candidate.end != super::candidates::End::Direct
    {
        return Some(Fault::new(
            VerifyCode::BadUsage,
            Some(0),
            format!(
                "{} is a CA certificate (basicConstraints CA:TRUE) and cannot be used as a leaf",
                view.who(0)
            ),
        ));
    }
    None
}

/// Name constraints over the whole path, every form, by our evaluator.
fn name_constraints_fault(view: &PathView<'_>) -> Option<Fault> {
    let v = name_constraints::check(&view.ders()).err()?;
    let name_of = |pos: usize| match view.candidate.certs.get(pos) {
        Some(&i) => view.who(i),
        None => view
            .anchor
            .map_or_else(|| "the trust anchor".to_string(), Anchor::who),
    };
    let message = if v.below == v.above {
        format!(
            "{} cannot be checked against name constraints: {}",
            name_of(v.below),
            v.what
        )
    } else {
        format!(
            "{} is outside the name constraints of {}: {}",
            name_of(v.below),
            name_of(v.above),
            v.what
        )
    };
    Some(Fault::new(
        VerifyCode::NameConstraints,
        view.candidate.certs.get(v.below).copied(),
        message,
    ))
}

/// The first certificate on the path (leaf first) whose extendedKeyUsage, when present, does
/// not allow the purpose. webpki requires it of the leaf and of every CA above it.
pub fn eku_refuses(view: &PathView<'_>) -> Option<usize> {
    view.candidate.certs.iter().copied().find(|&i| {
        view.facts(i).is_some_and(|f| match view.input.purpose {
            Purpose::Server => !f.allows_server_auth,
            Purpose::Client => !f.allows_client_auth,
        })
    })
}

/// The bad_usage fault for certificate `i`'s extended key usage.
pub fn eku_fault(view: &PathView<'_>, i: usize) -> Fault {
    let whose = if i == 0 {
        format!("{}'s extended key usage", view.who(0))
    } else {
        format!(
            "the extended key usage of {}, a CA on the path,",
            view.who(i)
        )
    };
    Fault::new(
        VerifyCode::BadUsage,
        Some(i),
        format!("{whose} does not allow {}", view.purpose_words()),
    )
}
