//! `--pin sha256//BASE64[;sha256//BASE64...]`: public-key pins in curl's `--pinnedpubkey`
//! syntax (and HPKP's `pin-sha256`), the base64 SHA-256 of a DER SubjectPublicKeyInfo. The
//! check passes when any certificate of those given (the verified path, a file's) has one of
//! the pins.

use crate::report::{Certificate, Check, CheckCode, Verification};

/// What `sha256//` pins a run was given, each the 32 bytes of a SHA-256.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pins(Vec<[u8; 32]>);

const PREFIX: &str = "sha256//";

impl Pins {
    /// Each argument a `;`-separated list of `sha256//BASE64`; the error names the bad one.
    pub fn parse(args: &[String]) -> Result<Pins, String> {
        let mut pins = Vec::new();
        for pin in args.iter().flat_map(|a| a.split(';')).map(str::trim) {
            if pin.is_empty() {
                continue;
            }
            let Some(b64) = pin.strip_prefix(PREFIX) else {
                return Err(format!(
                    "--pin {pin}: a pin is sha256// and the base64 of a SHA-256 (the key's \
                     pin-sha256, as tlsprobe cert shows it)"
                ));
            };
            let digest = data_encoding::BASE64
                .decode(b64.as_bytes())
                .ok()
                .and_then(|d| <[u8; 32]>::try_from(d).ok())
                .ok_or_else(|| format!("--pin {pin}: not the base64 of 32 bytes (a SHA-256)"))?;
            pins.push(digest);
        }
        if pins.is_empty() && !args.is_empty() {
            return Err("--pin names no pin".to_string());
        }
        Ok(Pins(pins))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `pin_sha256` (base64, as the report writes it) is one of these.
    fn holds(&self, pin_sha256: &str) -> bool {
        data_encoding::BASE64
            .decode(pin_sha256.as_bytes())
            .is_ok_and(|d| self.0.iter().any(|p| p[..] == d[..]))
    }
}

/// A key to compare with the pins: its pin, and how a message names it.
pub struct Candidate {
    pub pin_sha256: String,
    pub who: String,
}

/// The candidates of a probe or `tlsprobe verify`: each certificate of the verified path, the
/// trust anchor included; where no path was found, the certificates received. `where_` says
/// which, for the message.
pub fn on_path(
    certificates: &[Certificate],
    verification: Option<&Verification>,
) -> (Vec<Candidate>, &'static str) {
    let path = verification.map(|v| &v.path[..]).unwrap_or_default();
    if path.is_empty() {
        return (
            served(certificates),
            "among the certificates received (no path was found)",
        );
    }
    let candidates = path
        .iter()
        .map(|e| Candidate {
            pin_sha256: e.pin_sha256.clone(),
            who: match e.cert_index {
                Some(i) => format!("certificate {i}, {}", e.subject),
                None => format!("the trust anchor {}", e.subject),
            },
        })
        .collect();
    (candidates, "on the verified path")
}

/// Every certificate of `certificates`, as candidates.
pub fn served(certificates: &[Certificate]) -> Vec<Candidate> {
    certificates
        .iter()
        .enumerate()
        .map(|(i, c)| Candidate {
            pin_sha256: c.pin_sha256.clone(),
            who: format!("certificate {i}, {}", c.subject),
        })
        .collect()
}

/// The `pin` check: which candidate matched, or every pin seen.
pub fn check(pins: &Pins, candidates: &[Candidate], where_: &str) -> Check {
    let matched = candidates
        .iter()
        .find(|c| !c.pin_sha256.is_empty() && pins.holds(&c.pin_sha256));
    let message = match matched {
        Some(c) => format!("{PREFIX}{} ({}) matches --pin", c.pin_sha256, c.who),
        None if candidates.is_empty() => "no certificate to compare with --pin".to_string(),
        None => {
            let seen: Vec<String> = candidates
                .iter()
                .filter(|c| !c.pin_sha256.is_empty())
                .map(|c| format!("{PREFIX}{} ({})", c.pin_sha256, c.who))
                .collect();
            format!(
                "no key {where_} matches --pin; seen: {}",
                if seen.is_empty() {
                    "none".to_string()
                } else {
                    seen.join(", ")
                }
            )
        }
    };
    Check {
        check: CheckCode::Pin,
        rule: None,
        passed: matched.is_some(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8M=";
    const B: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    fn candidate(pin: &str, who: &str) -> Candidate {
        Candidate {
            pin_sha256: pin.to_string(),
            who: who.to_string(),
        }
    }

    #[test]
    fn curl_syntax_one_or_several() {
        let pins = Pins::parse(&[format!("sha256//{A}; sha256//{B}")]).unwrap();
        assert_eq!(pins.0.len(), 2);
        assert!(pins.holds(A) && pins.holds(B));
        assert!(!pins.holds("C5+lpZ7tcVwmwQIMcRtPbsQtWLABXhQzejna0wHFr8N="));
        let repeated = Pins::parse(&[format!("sha256//{A}"), format!("sha256//{B}")]).unwrap();
        assert_eq!(repeated, pins);
        for bad in ["md5//abc", A, "sha256//notbase64!", "sha256//AAAA", ";"] {
            let e = Pins::parse(&[bad.to_string()]).unwrap_err();
            assert!(e.starts_with("--pin"), "{bad}: {e}");
        }
        assert!(Pins::parse(&[]).unwrap().is_empty());
    }

    #[test]
    fn any_candidate_passes_and_a_miss_names_what_was_seen() {
        let pins = Pins::parse(&[format!("sha256//{A}")]).unwrap();
        let c = [
            candidate(B, "certificate 0, CN=leaf"),
            candidate(A, "the trust anchor CN=Root"),
        ];
        let ok = check(&pins, &c, "on the verified path");
        assert!(ok.passed);
        assert_eq!(
            ok.message,
            format!("sha256//{A} (the trust anchor CN=Root) matches --pin")
        );
        let miss = check(&pins, &c[..1], "on the verified path");
        assert!(!miss.passed);
        assert_eq!(
            miss.message,
            format!("no key on the verified path matches --pin; seen: sha256//{B} (certificate 0, CN=leaf)")
        );
        assert!(!check(&pins, &[], "x").passed);
    }
}
