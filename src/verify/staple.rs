//! The stapled OCSP response: whether it proves anything (signed by the leaf's issuer or an
//! authorised responder, for this certificate), and if so what it says.

use super::faults::Fault;
use super::judge::Judged;
use super::{ocsp, ocsp_check, ChainInput, Roots};
use crate::report::{Finding, OcspStatus, VerifyCode, WarningCode};

/// What checking the staple showed.
pub enum Checked {
    /// No staple.
    None,
    /// Signed by the leaf's issuer or an authorised responder, for this leaf: what it says
    /// (its SingleResponse for this leaf's certID) is believed.
    Proven(ocsp::Staple),
    /// It cannot be checked here (the issuer is not at hand, or an algorithm tlsprobe lacks):
    /// not evidence against it, nor for it.
    Unchecked,
    /// It does not prove the leaf's status.
    Fault(ocsp_check::StapleFault),
}

/// Check the staple against the leaf's issuer on the chosen path.
pub fn check(input: &ChainInput<'_>, chosen: Option<&Judged>, roots: &Roots, now: i64) -> Checked {
    use ocsp_check::{StapleFault, Unreadable};
    let Some(leaf) = input.chain.first() else {
        return Checked::None;
    };
    if input.ocsp_der.is_empty() {
        return Checked::None;
    }
    // The leaf's issuer: the next certificate on the path, else the path's anchor; without a
    // path, whatever certificate (served or trusted) has the issuer's name.
    let on_path = chosen.and_then(|j| match j.candidate.certs.get(1) {
        Some(&i) => input.chain.get(i).map(|c| c.as_ref().to_vec()),
        None => j
            .anchor
            .as_ref()
            .and_then(|a| a.der.as_ref())
            .map(|d| d.as_ref().to_vec()),
    });
    let Some(leaf_issuer) = input.facts.first().map(|f| &f.issuer) else {
        return Checked::Unchecked;
    };
    let by_name = || {
        input
            .facts
            .iter()
            .zip(input.chain)
            .skip(1)
            .find(|(f, _)| f.parsed && &f.subject == leaf_issuer)
            .map(|(_, der)| der.as_ref().to_vec())
            .or_else(|| {
                roots
                    .certs
                    .iter()
                    .find(|c| {
                        x509_parser::parse_x509_certificate(c)
                            .is_ok_and(|(_, p)| p.subject().as_raw() == leaf_issuer.as_slice())
                    })
                    .map(|c| c.as_ref().to_vec())
            })
    };
    let issuer = on_path.or_else(by_name);
    match ocsp_check::check(input.ocsp_der, leaf, issuer.as_deref(), now) {
        Ok(()) => match ocsp::parse_for(input.ocsp_der, leaf, issuer.as_deref()) {
            Some(staple) => Checked::Proven(staple),
            None => Checked::Unchecked,
        },
        Err(StapleFault::IssuerUnknown)
        | Err(StapleFault::Unreadable {
            why: Unreadable::UnsupportedHash(_) | Unreadable::UnsupportedSignature(_),
        }) => Checked::Unchecked,
        Err(fault) => Checked::Fault(fault),
    }
}

/// What a staple says: `revoked` is an error, a past nextUpdate a warning. `proven`: its
/// signature was checked. An unchecked staple that says revoked is still reported, on the safe
/// side, with that said; one that says good proves nothing and adds nothing.
pub fn findings(
    staple: &ocsp::Staple,
    proven: bool,
    now: i64,
    errors: &mut Vec<Fault>,
    warnings: &mut Vec<Finding<WarningCode>>,
) {
    if staple.status == OcspStatus::Revoked {
        let when = staple
            .revoked_at
            .map_or_else(String::new, |t| format!(" on {}", crate::cert::rfc3339(t)));
        let unchecked = if proven {
            ""
        } else {
            " (its signature could not be checked here)"
        };
        errors.push(Fault::new(
            VerifyCode::Revoked,
            Some(0),
            format!("the stapled OCSP response says the certificate was revoked{when}{unchecked}"),
        ));
    }
    if let Some(next) = staple.next_update.filter(|next| *next < now) {
        warnings.push(Finding {
            code: WarningCode::StaleOcsp,
            cert_index: Some(0),
            message: format!(
                "the stapled OCSP response is stale: its nextUpdate was {}; the server should fetch a fresh one",
                crate::cert::rfc3339(next)
            ),
            hint: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revoked_staple_is_an_error_and_a_stale_one_a_warning() {
        let staple = ocsp::Staple {
            status: OcspStatus::Revoked,
            this_update: Some(1_000),
            next_update: Some(2_000),
            responder: None,
            revoked_at: Some(500),
            sct_list: Vec::new(),
        };
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        findings(&staple, true, 1_500, &mut errors, &mut warnings);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, VerifyCode::Revoked);
        assert!(warnings.is_empty(), "not stale yet");

        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        findings(&staple, false, 1_500, &mut errors, &mut warnings);
        assert_eq!(
            errors[0].code,
            VerifyCode::Revoked,
            "revoked is believed on the safe side"
        );
        assert!(
            errors[0].message.contains("could not be checked"),
            "{}",
            errors[0].message
        );

        let good = ocsp::Staple {
            status: OcspStatus::Good,
            revoked_at: None,
            ..staple
        };
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        findings(&good, true, 3_000, &mut errors, &mut warnings);
        assert!(errors.is_empty());
        assert_eq!(warnings[0].code, WarningCode::StaleOcsp);
        assert!(
            warnings[0].message.contains("1970-01-01T00:33:20Z"),
            "{}",
            warnings[0].message
        );
    }
}
