use serde::Serialize;

use super::{Certificate, Finding, VerifyCode};

/// `tlsprobe cert FILE`: the certificates of one local file, in the report's certificate view.
#[derive(Debug, Clone, Serialize)]
pub struct CertFile {
    pub schema_version: u32,
    /// The path as given; `-` for standard input.
    pub file: String,
    /// In file order.
    pub certificates: Vec<Certificate>,
    /// The weak-algorithm findings a probe's verification makes (`weak_signature`,
    /// `weak_key`), each with its certificate's index and a hint; empty when none.
    pub findings: Vec<Finding<VerifyCode>>,
    /// The checks asked for (`--pin`: a certificate of the file has one of the pins); empty
    /// when none was.
    pub checks: Vec<super::Check>,
    /// Why the file could not be read or a certificate in it does not parse, or null.
    pub error: Option<String>,
}
