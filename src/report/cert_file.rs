use serde::Serialize;

use super::Certificate;

/// `tlsprobe cert FILE`: the certificates of one local file, in the report's certificate view.
#[derive(Debug, Clone, Serialize)]
pub struct CertFile {
    pub schema_version: u32,
    pub file: String,
    /// In file order.
    pub certificates: Vec<Certificate>,
    /// Why the file could not be read, or null.
    pub error: Option<String>,
}
