//! What was wrong with a PEM file, in one sentence a person can act on. The PEM reader's own
//! words print bytes as decimal lists (`missing section end marker: [67, 69, 82, ...]`) and its
//! base64 errors as enum names (`InvalidCharacter(33)`); it also says `no items found` for an
//! encrypted key. These name the line, the block and the character instead.

use rustls::pki_types::pem;

/// The longest piece of a file quoted in a message.
const QUOTE_LIMIT: usize = 60;

/// `e`, which the PEM reader returned for `bytes`, in words: "the CERTIFICATE block that
/// begins on line 1 has no END line ...". No trailing period; the caller adds the file's name.
pub fn describe(e: &pem::Error, bytes: &[u8]) -> String {
    match e {
        pem::Error::MissingSectionEnd { end_marker } => {
            let label = quote_bytes(end_marker);
            let begin = format!("-----BEGIN {}-----", String::from_utf8_lossy(end_marker));
            match line_of(bytes, begin.as_bytes()) {
                Some(n) => format!(
                    "the {label} block that begins on line {n} has no '-----END {label}-----' line (is the file cut short?)"
                ),
                None => format!(
                    "a {label} block has no '-----END {label}-----' line (is the file cut short?)"
                ),
            }
        }
        pem::Error::IllegalSectionStart { line } => {
            let at = line_of(bytes, line).map_or_else(String::new, |n| format!("line {n}: "));
            format!(
                "{at}'{}' is not a PEM BEGIN line: it must end in five dashes",
                quote_bytes(line.trim_ascii())
            )
        }
        pem::Error::Base64Decode(_) => bad_base64(bytes),
        pem::Error::Io(e) => format!("cannot read: {e}"),
        pem::Error::NoItemsFound => "it holds no PEM block of the kind wanted".into(),
        pem::Error::SectionTooLarge => "a PEM block is larger than 256 MB".into(),
        _ => "it is not valid PEM".into(),
    }
}

/// Why a `--key` file gave no key: encrypted (the PEM reader skips an `ENCRYPTED PRIVATE KEY`
/// block and fails on OpenSSL's `Proc-Type: 4,ENCRYPTED` headers), or no key block at all.
pub fn describe_key(e: &pem::Error, bytes: &[u8]) -> String {
    if contains(bytes, b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        || contains(bytes, b"Proc-Type: 4,ENCRYPTED")
    {
        return "the key is encrypted, and tlsprobe needs it decrypted: write a plain copy with `openssl pkey -in KEY -out plain.pem` and give that"
            .into();
    }
    match e {
        pem::Error::NoItemsFound => {
            "it holds no private key (a PEM PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block)"
                .into()
        }
        other => describe(other, bytes),
    }
}

/// The block whose base64 the reader refused: the first character that is not base64 in a
/// block of a kind it decodes, with its line; else the block, whose length or padding is wrong.
fn bad_base64(bytes: &[u8]) -> String {
    let mut block: Option<(usize, &[u8])> = None;
    let mut first: Option<(usize, &[u8])> = None;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let n = i + 1;
        let line = line.trim_ascii();
        if let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|l| l.strip_suffix(b"-----"))
        {
            block = decoded(label).then_some((n, label));
            continue;
        }
        if line.starts_with(b"-----END ") {
            block = None;
            continue;
        }
        let Some((begin, label)) = block else {
            continue;
        };
        first = first.or(Some((begin, label)));
        if let Some(&c) = line
            .iter()
            .find(|&&c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=')))
        {
            let shown = if c.is_ascii_graphic() {
                format!("'{}'", char::from(c))
            } else {
                format!("byte 0x{c:02x}")
            };
            return format!(
                "line {n} holds {shown}, which is not base64 (in the {} block that begins on line {begin})",
                quote_bytes(label)
            );
        }
    }
    match first {
        Some((begin, label)) => format!(
            "the {} block that begins on line {begin} is not valid base64 (cut short, or padded wrongly)",
            quote_bytes(label)
        ),
        None => "a PEM block is not valid base64".into(),
    }
}

/// The kinds of block the PEM reader decodes (others it skips unread).
fn decoded(label: &[u8]) -> bool {
    matches!(
        label,
        b"CERTIFICATE"
            | b"PUBLIC KEY"
            | b"RSA PRIVATE KEY"
            | b"PRIVATE KEY"
            | b"EC PRIVATE KEY"
            | b"X509 CRL"
            | b"CERTIFICATE REQUEST"
            | b"ECHCONFIG"
    )
}

/// The number of the first line of `bytes` that begins with `start`.
fn line_of(bytes: &[u8], start: &[u8]) -> Option<usize> {
    let start = start.trim_ascii();
    bytes
        .split(|&b| b == b'\n')
        .position(|l| !start.is_empty() && l.trim_ascii().starts_with(start))
        .map(|i| i + 1)
}

fn contains(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}

/// Bytes from the file as text, cut at [`QUOTE_LIMIT`] characters (a whole file without line
/// breaks must not become the message).
fn quote_bytes(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut shown: String = text.chars().take(QUOTE_LIMIT).collect();
    if text.chars().count() > QUOTE_LIMIT {
        shown.push_str("...");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    fn cert_error(pem: &str) -> String {
        let e = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .unwrap_err();
        describe(&e, pem.as_bytes())
    }

    #[test]
    fn a_cut_file_names_the_block_and_its_line() {
        assert_eq!(
            cert_error("# roots\n-----BEGIN CERTIFICATE-----\nMIIB\n"),
            "the CERTIFICATE block that begins on line 2 has no '-----END CERTIFICATE-----' line (is the file cut short?)"
        );
    }

    #[test]
    fn a_bad_character_names_its_line() {
        assert_eq!(
            cert_error("-----BEGIN CERTIFICATE-----\nMIIB\nMI!B\n-----END CERTIFICATE-----\n"),
            "line 3 holds '!', which is not base64 (in the CERTIFICATE block that begins on line 1)"
        );
    }

    #[test]
    fn a_long_begin_line_is_cut() {
        let line = format!("-----BEGIN {}", "A".repeat(3000));
        let e = cert_error(&line);
        assert!(e.len() < 200, "{e}");
        assert!(e.starts_with("line 1: '-----BEGIN AAA"), "{e}");
    }

    #[test]
    fn an_encrypted_key_says_so() {
        let pem =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let e = PrivateKeyDer::from_pem_slice(pem.as_bytes()).unwrap_err();
        assert!(
            describe_key(&e, pem.as_bytes()).starts_with("the key is encrypted"),
            "{e}"
        );
    }
}
