//! Distinguished names as text, the way `openssl x509 -subject -nameopt
//! utf8,sep_comma_plus_space,sname` prints them: `TYPE=value` pairs joined by `, ` in
//! encoding order, ` + ` inside a multi-valued RDN, OpenSSL's short names for the attribute
//! types (the dotted OID for others), and every string type decoded as OpenSSL decodes it.
//!
//! x509-parser's own `Display` gives up on a whole name for one T61String that is not UTF-8
//! (`<X509Error: Invalid X.509 name>`) and prints UniversalStrings as hex.

use x509_parser::asn1_rs::{Any, Tag};
use x509_parser::x509::X509Name;

/// The name as one line (see the module documentation). Never fails: a value that does not
/// decode (a BMPString of odd length, say) is shown as `#` and the hex of its contents.
pub fn name_text(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attr) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            let oid = attr.attr_type();
            match short_name(oid.as_bytes()) {
                Some(short) => out.push_str(short),
                None => out.push_str(&oid.to_id_string()),
            }
            out.push('=');
            out.push_str(&value_text(attr.attr_value()));
        }
    }
    out
}

/// An attribute value as text: UTF8String as UTF-8, BMPString as UTF-16BE, UniversalString
/// as UTF-32BE, and every other type (T61String, IA5String, PrintableString, ...) one byte
/// per character, as Latin-1: what OpenSSL's `utf8` name option does.
fn value_text(value: &Any<'_>) -> String {
    let data = value.data;
    let decoded = match value.tag() {
        Tag::Utf8String => Some(String::from_utf8_lossy(data).into_owned()),
        Tag::BmpString => utf16be(data),
        Tag::UniversalString => utf32be(data),
        _ => Some(data.iter().map(|&b| char::from(b)).collect()),
    };
    decoded.unwrap_or_else(|| format!("#{}", super::hex(data)))
}

/// UTF-16BE (surrogate pairs included); None for an odd length or a lone surrogate.
pub(super) fn utf16be(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(2) {
        return None;
    }
    let units = data
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

/// UTF-32BE; None for a length that is not a multiple of 4 or a value that is no character.
pub(super) fn utf32be(data: &[u8]) -> Option<String> {
    if !data.len().is_multiple_of(4) {
        return None;
    }
    data.chunks_exact(4)
        .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect()
}

/// OpenSSL's short name for an attribute type met in names (its `objects.txt`).
fn short_name(oid: &[u8]) -> Option<&'static str> {
    use x509_parser::asn1_rs::oid;
    const TABLE: &[(&[u8], &str)] = &[
        (&oid!(raw 2.5.4.3), "CN"),
        (&oid!(raw 2.5.4.4), "SN"),
        (&oid!(raw 2.5.4.5), "serialNumber"),
        (&oid!(raw 2.5.4.6), "C"),
        (&oid!(raw 2.5.4.7), "L"),
        (&oid!(raw 2.5.4.8), "ST"),
        (&oid!(raw 2.5.4.9), "street"),
        (&oid!(raw 2.5.4.10), "O"),
        (&oid!(raw 2.5.4.11), "OU"),
        (&oid!(raw 2.5.4.12), "title"),
        (&oid!(raw 2.5.4.13), "description"),
        (&oid!(raw 2.5.4.14), "searchGuide"),
        (&oid!(raw 2.5.4.15), "businessCategory"),
        (&oid!(raw 2.5.4.16), "postalAddress"),
        (&oid!(raw 2.5.4.17), "postalCode"),
        (&oid!(raw 2.5.4.18), "postOfficeBox"),
        (&oid!(raw 2.5.4.19), "physicalDeliveryOfficeName"),
        (&oid!(raw 2.5.4.20), "telephoneNumber"),
        (&oid!(raw 2.5.4.41), "name"),
        (&oid!(raw 2.5.4.42), "GN"),
        (&oid!(raw 2.5.4.43), "initials"),
        (&oid!(raw 2.5.4.44), "generationQualifier"),
        (&oid!(raw 2.5.4.45), "x500UniqueIdentifier"),
        (&oid!(raw 2.5.4.46), "dnQualifier"),
        (&oid!(raw 2.5.4.65), "pseudonym"),
        (&oid!(raw 2.5.4.72), "role"),
        (&oid!(raw 2.5.4.97), "organizationIdentifier"),
        (&oid!(raw 1.2.840.113549.1.9.1), "emailAddress"),
        (&oid!(raw 1.2.840.113549.1.9.2), "unstructuredName"),
        (&oid!(raw 1.2.840.113549.1.9.8), "unstructuredAddress"),
        (&oid!(raw 0.9.2342.19200300.100.1.1), "UID"),
        (&oid!(raw 0.9.2342.19200300.100.1.25), "DC"),
        (&oid!(raw 1.3.6.1.4.1.311.60.2.1.1), "jurisdictionL"),
        (&oid!(raw 1.3.6.1.4.1.311.60.2.1.2), "jurisdictionST"),
        (&oid!(raw 1.3.6.1.4.1.311.60.2.1.3), "jurisdictionC"),
    ];
    TABLE
        .iter()
        .find(|(raw, _)| *raw == oid)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_strings_decode_and_bad_ones_do_not_panic() {
        assert_eq!(utf16be(&[0, b'h', 0, 0xe9]).as_deref(), Some("hé"));
        assert_eq!(utf16be(&[0xd8, 0x3d, 0xde, 0x00]).as_deref(), Some("😀"));
        assert_eq!(utf16be(&[0xd8, 0x3d]), None);
        assert_eq!(utf16be(&[0]), None);
        assert_eq!(
            utf32be(&[0, 0, 0, b'a', 0, 1, 0xf6, 0]).as_deref(),
            Some("a😀")
        );
        assert_eq!(utf32be(&[0, 0, 0xd8, 0]), None);
        assert_eq!(utf32be(&[0, 0, 0]), None);
    }
}
