//! The certificates of a local file, PEM or DER, read as `openssl x509` reads them: PEM
//! blocks labelled `CERTIFICATE`, `X509 CERTIFICATE` or `TRUSTED CERTIFICATE` (OpenSSL's
//! trust settings after the certificate are dropped), other blocks (keys, parameters) and
//! text between blocks skipped; or one DER certificate. Pure: bytes in, DER out.

use thiserror::Error;

/// Why a file yields no certificates, in words for a one-line error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PemError {
    #[error("line {line}: the {label} block has no END line (is the file cut short?)")]
    Unterminated { label: String, line: usize },
    #[error("line {line}: the {label} block is not valid base64")]
    Base64 { label: String, line: usize },
    #[error("line {line}: the {label} block is empty")]
    Empty { label: String, line: usize },
    #[error("it holds no CERTIFICATE block{}", others_text(.others))]
    NoCertificate { others: Vec<String> },
    #[error("it is neither PEM nor a DER certificate")]
    NotACertificate,
}

fn others_text(others: &[String]) -> String {
    if others.is_empty() {
        String::new()
    } else {
        format!(" (only {})", others.join(", "))
    }
}

/// The labels OpenSSL reads as a certificate (`PEM_read_bio_X509_AUX`).
const CERTIFICATE_LABELS: [&str; 3] = ["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"];

/// Every certificate of `bytes`, in order, each as the DER of the Certificate alone.
pub fn certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, PemError> {
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        // DER: one certificate, a SEQUENCE.
        if bytes.first() != Some(&0x30) {
            return Err(PemError::NotACertificate);
        }
        return Ok(vec![first_element(bytes).to_vec()]);
    }
    let mut out = Vec::new();
    let mut others = Vec::new();
    let mut lines = bytes.split(|&b| b == b'\n').enumerate();
    while let Some((i, line)) = lines.next() {
        let Some(label) = armour(line, "BEGIN") else {
            continue;
        };
        let start = i + 1;
        let mut body = Vec::new();
        let mut ended = false;
        for (_, line) in lines.by_ref() {
            if armour(line, "END").as_deref() == Some(label.as_str()) {
                ended = true;
                break;
            }
            body.push(trim(line));
        }
        if !ended {
            return Err(PemError::Unterminated { label, line: start });
        }
        if !CERTIFICATE_LABELS.contains(&label.as_str()) {
            if !others.contains(&label) {
                others.push(label);
            }
            continue;
        }
        let der = decode(&body).ok_or_else(|| PemError::Base64 {
            label: label.clone(),
            line: start,
        })?;
        if der.is_empty() {
            return Err(PemError::Empty { label, line: start });
        }
        out.push(first_element(&der).to_vec());
    }
    if out.is_empty() {
        return Err(PemError::NoCertificate { others });
    }
    Ok(out)
}

/// The label of a `-----BEGIN LABEL-----` (or END) line.
fn armour(line: &[u8], word: &str) -> Option<String> {
    let line = std::str::from_utf8(trim(line)).ok()?;
    let rest = line.strip_prefix("-----")?.strip_prefix(word)?;
    let label = rest.strip_prefix(' ')?.strip_suffix("-----")?;
    Some(label.to_string())
}

fn trim(line: &[u8]) -> &[u8] {
    line.trim_ascii()
}

/// The base64 of a block's lines, after any RFC 1421 headers (`Proc-Type: ...`, ended by a
/// blank line); None when it is not base64.
fn decode(lines: &[&[u8]]) -> Option<Vec<u8>> {
    let mut lines = lines;
    if lines.first().is_some_and(|l| l.contains(&b':')) {
        let blank = lines.iter().position(|l| l.is_empty())?;
        lines = lines.get(blank + 1..)?;
    }
    let text: Vec<u8> = lines
        .concat()
        .into_iter()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    data_encoding::BASE64
        .decode(&text)
        .or_else(|_| data_encoding::BASE64_NOPAD.decode(&text))
        .ok()
}

/// The first DER element of `der` (tag, length and contents), or all of `der` when its header
/// does not say (the certificate parser then says what is wrong). A TRUSTED CERTIFICATE is
/// a Certificate followed by OpenSSL's trust settings, which this drops.
fn first_element(der: &[u8]) -> &[u8] {
    element_len(der).and_then(|n| der.get(..n)).unwrap_or(der)
}

/// Header plus contents length of the DER element at the start of `der`: a one-byte tag and
/// a short or long form length of up to four bytes.
fn element_len(der: &[u8]) -> Option<usize> {
    let first = *der.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let bytes = der.get(2..2 + n)?;
    let len = bytes
        .iter()
        .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    (2 + n).checked_add(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(label: &str, der: &[u8]) -> String {
        let b64 = data_encoding::BASE64.encode(der);
        format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n")
    }

    const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

    #[test]
    fn every_openssl_label_is_read_and_others_skipped() {
        let mut text = String::from("subject=CN=x\n");
        text += &block("PRIVATE KEY", &[1, 2, 3]);
        text += &block("CERTIFICATE", DER);
        text += &block("X509 CERTIFICATE", DER);
        // Trust settings after the certificate are dropped.
        text += &block(
            "TRUSTED CERTIFICATE",
            &[DER, &[0x30, 0x02, 0x05, 0x00]].concat(),
        );
        assert_eq!(
            certificates(text.as_bytes()).unwrap(),
            vec![DER.to_vec(); 3]
        );
        let crlf = block("CERTIFICATE", DER).replace('\n', "\r\n");
        assert_eq!(certificates(crlf.as_bytes()).unwrap(), vec![DER.to_vec()]);
    }

    #[test]
    fn errors_say_what_and_where_in_one_line() {
        let cut = "x\n-----BEGIN CERTIFICATE-----\nMAMCAQU=\n";
        assert_eq!(
            certificates(cut.as_bytes()).unwrap_err().to_string(),
            "line 2: the CERTIFICATE block has no END line (is the file cut short?)"
        );
        let bad = block("CERTIFICATE", DER).replace("MAMC", "M!MC");
        assert_eq!(
            certificates(bad.as_bytes()).unwrap_err().to_string(),
            "line 1: the CERTIFICATE block is not valid base64"
        );
        let key = block("EC PRIVATE KEY", DER);
        assert_eq!(
            certificates(key.as_bytes()).unwrap_err().to_string(),
            "it holds no CERTIFICATE block (only EC PRIVATE KEY)"
        );
        assert_eq!(
            certificates(b"hello").unwrap_err(),
            PemError::NotACertificate
        );
        assert_eq!(certificates(DER).unwrap(), vec![DER.to_vec()]);
    }

    #[test]
    fn element_lengths_never_panic() {
        assert_eq!(element_len(&[0x30, 0x03]), Some(5));
        assert_eq!(element_len(&[0x30, 0x82, 0x01, 0x00]), Some(260));
        assert_eq!(element_len(&[0x30, 0x82, 0x01]), None);
        assert_eq!(element_len(&[0x30, 0x80]), None);
        assert_eq!(element_len(&[0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]), None);
        assert_eq!(element_len(&[0x30]), None);
        assert_eq!(first_element(&[0x30, 0x05, 1]), &[0x30, 0x05, 1]);
        for n in 0..=255u8 {
            let _ = certificates(&[0x30, n, 0x82, n]);
        }
    }

    #[test]
    fn every_truncation_and_byte_change_of_a_pem_file_is_survived() {
        let text = format!(
            "{}{}",
            block("CERTIFICATE", DER),
            block("TRUSTED CERTIFICATE", DER)
        );
        let bytes = text.as_bytes();
        for len in 0..bytes.len() {
            let _ = certificates(&bytes[..len]);
        }
        for i in 0..bytes.len() {
            for b in [b'-', b'\n', b'=', b':', 0x00, 0xff, b'A'] {
                let mut m = bytes.to_vec();
                m[i] = b;
                let _ = certificates(&m);
            }
        }
    }
}
