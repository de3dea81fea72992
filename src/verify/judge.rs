//! Stage 3: judge one candidate path, and only the certificates on it: webpki's verdict, the
//! validity of each certificate and of the trust anchor, algorithm strength (anchor
//! included), and the RFC 5280 profile. A certificate the server sent but the path does not
//! use can never fail verification here; `unused.rs` warns about it.

use super::build::{self, Verdict};
use super::candidates::{Candidate, End};
use super::faults::{self, Fault};
use super::path_view::{self, Anchor, PathView};
use super::rfc5280::{self, Role};
use super::{dead_end, name_constraints, strength, webpki_gaps, ChainInput, Roots};
use crate::report::VerifyCode;

/// One candidate with everything found wrong with it.
pub struct Judged {
    pub candidate: Candidate,
    pub anchor: Option<Anchor>,
    pub faults: Vec<Fault>,
    /// Every signature on the path verifies (or cannot be checked): a same-name certificate
    /// with another key makes a path that is not really one.
    pub signatures_hold: bool,
}

pub fn judge(
    candidate: Candidate,
    input: &ChainInput<'_>,
    roots: &Roots,
    ctx: &build::Context<'_>,
) -> Judged {
    let anchor = match candidate.end {
        End::Anchor(a) => path_view::anchor(a, roots, input.chain, input.facts, input.now),
        _ => None,
    };
    let view = PathView {
        candidate: &candidate,
        input,
        anchor: anchor.as_ref(),
    };
    let at = ctx.at;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();

    match candidate.end {
        End::Anchor(a) => {
            let mut windows: Vec<(i64, i64)> = candidate
                .certs
                .iter()
                .filter_map(|&i| input.facts.get(i))
                .filter(|f| f.parsed)
                .map(|f| (f.not_before, f.not_after))
                .collect();
            if let Some(f) = anchor.as_ref().and_then(|a| a.facts.as_ref()) {
                windows.push((f.not_before, f.not_after));
            }
            if let Verdict::Fault(e) = build::verdict(ctx, &candidate, a, &windows) {
                theirs.extend(webpki_fault(&e, &view));
            }
        }
        // A self-signed leaf that is itself in the store: no path to build, but what webpki
        // would check of a leaf still applies (its purpose).
        End::Direct => {
            if let Some(i) = webpki_gaps::eku_refuses(&view) {
                ours.push(webpki_gaps::eku_fault(&view, i));
            }
        }
        End::Unanchored => ours.extend(dead_end::diagnose(&view, roots.store_name())),
    }

    // Validity of the certificates on the path, and of the anchor's own certificate.
    ours.extend(validity_faults(&view, at));
    // Algorithm strength: the served path below its anchor, then the anchor's key.
    ours.extend(strength_faults(&view));
    // The profile: every certificate on the path in its role, the anchor's certificate too.
    ours.extend(profile_faults(&view));
    let faults = merged(ours, theirs);
    // Only asked of a path with faults, when choosing the most plausible one (signature checks
    // are the costliest part of judging).
    let signatures_hold = faults.is_empty() || view.signatures_hold();
    Judged {
        candidate,
        anchor,
        faults,
        signatures_hold,
    }
}

/// Validity of the certificates on the path, and of the anchor's own certificate.
fn validity_faults(view: &PathView<'_>, at: i64) -> Vec<Fault> {
    let (candidate, input, anchor) = (view.candidate, view.input, view.anchor);
    let mut ours = Vec::new();
    for &i in &candidate.certs {
        if let Some(f) = input.facts.get(i).filter(|f| f.parsed) {
            ours.extend(validity(
                &view.who(i),
                Some(i),
                f.not_before,
                f.not_after,
                at,
                input.described.get(i),
            ));
        }
    }
    if let Some(a) = &anchor {
        if let (Some(f), Some(d)) = (&a.facts, &a.described) {
            ours.extend(
                validity(&a.who(), a.served, f.not_before, f.not_after, at, Some(d))
                    .map(Fault::about_anchor),
            );
        }
    }
    ours
}

/// Algorithm strength: the served path below its anchor, then the anchor's key.
fn strength_faults(view: &PathView<'_>) -> Vec<Fault> {
    let (candidate, input, anchor) = (view.candidate, view.input, view.anchor);
    let mut ours = Vec::new();
    let below: Vec<usize> = candidate.certs.clone();
    ours.extend(strength::weaknesses(input.described, &below));
    if let Some(a) = &anchor {
        if let Some(d) = &a.described {
            if let Some(why) = strength::weak_key(d) {
                ours.push(
                    Fault::new(
                        VerifyCode::WeakKey,
                        a.served,
                        format!("{} has {why}", a.who()),
                    )
                    .about_anchor(),
                );
            }
        }
    }
    ours
}

/// The profile: every certificate on the path in its role, the anchor's certificate too.
fn profile_faults(view: &PathView<'_>) -> Vec<Fault> {
    let (candidate, input, anchor) = (view.candidate, view.input, view.anchor);
    let mut ours = Vec::new();
    for (k, &i) in candidate.certs.iter().enumerate() {
        let Some(der) = view.der(i) else { continue };
        let role = if k == 0 {
            Role::Leaf
        } else {
            Role::Intermediate
        };
        if candidate.end == End::Unanchored
            && input.facts.get(i).is_some_and(|f| f.self_signed)
            && k > 0
        {
            continue; // an untrusted root: what is wrong with it is that it is not trusted
        }
        ours.extend(rfc5280::check(der, role, &view.who(i), Some(i)));
    }
    if let Some((a, der)) = anchor.as_ref().and_then(|a| a.der.as_ref().map(|d| (a, d))) {
        ours.extend(
            rfc5280::check(der.as_ref(), Role::Anchor, &a.who(), a.served)
                .into_iter()
                .map(Fault::about_anchor),
        );
    }
    ours
}

/// Our faults, then webpki's where ours do not already say it (ours name the certificate and
/// the rule); each fault once.
fn merged(mut ours: Vec<Fault>, theirs: Vec<Fault>) -> Vec<Fault> {
    let weak_named = ours
        .iter()
        .any(|f| matches!(f.code, VerifyCode::WeakKey | VerifyCode::WeakSignature));
    for t in theirs {
        let said = ours.iter().any(|o| o.code == t.code)
            || (weak_named && matches!(t.code, VerifyCode::WeakKey | VerifyCode::WeakSignature));
        if !said {
            ours.push(t);
        }
    }
    let mut faults: Vec<Fault> = Vec::new();
    for f in ours {
        if !faults
            .iter()
            .any(|g| g.code == f.code && g.cert_index == f.cert_index && g.message == f.message)
        {
            faults.push(f);
        }
    }
    faults
}

/// webpki's error on the path, or our own verdict where webpki's answer may be about another
/// path (see `webpki_gaps.rs`).
fn webpki_fault(e: &webpki::Error, view: &PathView<'_>) -> Option<Fault> {
    let nc_error = matches!(
        e,
        webpki::Error::NameConstraintViolation | webpki::Error::UnsupportedNameType
    );
    if nc_error && name_constraints::involves_forms_webpki_refuses(&view.ders()) {
        return webpki_gaps::judge(view);
    }
    if matches!(e, webpki::Error::InvalidSignatureForPublicKey) && view.signatures_verified() {
        return webpki_gaps::judge(view);
    }
    Some(faults::from_webpki(e, view))
}

/// expired / not_yet_valid for one certificate at `at`.
fn validity(
    who: &str,
    index: Option<usize>,
    not_before: i64,
    not_after: i64,
    at: i64,
    described: Option<&crate::report::Certificate>,
) -> Option<Fault> {
    if at < not_before {
        let when = described.map_or("", |d| d.not_before.as_str());
        let days = (not_before - at) / 86_400;
        Some(Fault::new(
            VerifyCode::NotYetValid,
            index,
            format!("{who} is not valid until {when} (in {days} days)"),
        ))
    } else if at > not_after {
        let when = described.map_or("", |d| d.not_after.as_str());
        let days = (at - not_after) / 86_400;
        Some(Fault::new(
            VerifyCode::Expired,
            index,
            format!("{who} expired on {when} ({days} days ago)"),
        ))
    } else {
        None
    }
}
