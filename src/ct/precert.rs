//! What an embedded SCT's signature covers (RFC 6962 §3.2): the certificate's TBSCertificate
//! as the precertificate had it, which is the final one with the SCT list extension taken
//! out. Pure; definite lengths only, as DER has them.

/// The SCT list extension's OID, 1.3.6.1.4.1.11129.2.4.2, as its DER (tag and length too).
const SCT_LIST_OID: &[u8] = &[
    0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x02,
];

use crate::der::{tlv, SEQUENCE};

/// `[3] EXPLICIT Extensions` in a TBSCertificate.
const EXTENSIONS: u8 = 0xA3;

/// `tag`, the DER length of `contents`, `contents`.
fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// The TBSCertificate of the certificate `der` with its SCT list extension removed, or `None`
/// when `der` is not a certificate or has no such extension.
pub fn tbs_without_scts(der: &[u8]) -> Option<Vec<u8>> {
    let (cert, _) = tlv(der)?;
    let (tbs, _) = tlv(cert.body)?;
    if cert.tag != SEQUENCE || tbs.tag != SEQUENCE {
        return None;
    }
    let mut fields = Vec::new();
    let mut found = false;
    let mut rest = tbs.body;
    while !rest.is_empty() {
        let (field, after) = tlv(rest)?;
        rest = after;
        if field.tag != EXTENSIONS {
            fields.extend_from_slice(field.raw);
            continue;
        }
        let (list, _) = tlv(field.body)?;
        let mut kept = Vec::new();
        let mut exts = list.body;
        while !exts.is_empty() {
            let (ext, after) = tlv(exts)?;
            exts = after;
            if ext.body.starts_with(SCT_LIST_OID) {
                found = true;
            } else {
                kept.extend_from_slice(ext.raw);
            }
        }
        if !kept.is_empty() {
            fields.extend(encode(EXTENSIONS, &encode(SEQUENCE, &kept)));
        }
    }
    found.then(|| encode(SEQUENCE, &fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_short_and_long() {
        assert_eq!(encode(0x04, &[1, 2]), [0x04, 2, 1, 2]);
        let long = encode(0x04, &[0; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2C]);
        let (e, rest) = tlv(&long).unwrap();
        assert_eq!((e.tag, e.body.len(), rest.len()), (0x04, 300, 0));
    }

    #[test]
    fn the_sct_extension_alone_is_taken_out() {
        // TBS { version, [3] { SEQ { ext(other), ext(SCT) } } } in a certificate.
        let other = encode(
            SEQUENCE,
            &[0x06, 0x03, 0x55, 0x1D, 0x13, 0x04, 0x02, 0x30, 0x00],
        );
        let mut sct = SCT_LIST_OID.to_vec();
        sct.extend(encode(0x04, &encode(0x04, &[9; 200])));
        let sct = encode(SEQUENCE, &sct);
        let version = [0xA0, 0x03, 0x02, 0x01, 0x02];
        let tbs = |exts: &[&[u8]]| {
            let mut fields = version.to_vec();
            fields.extend(encode(EXTENSIONS, &encode(SEQUENCE, &exts.concat())));
            encode(SEQUENCE, &fields)
        };
        let mut cert = tbs(&[&other, &sct]);
        cert.extend_from_slice(&[0x30, 0x00, 0x03, 0x01, 0x00]);
        let cert = encode(SEQUENCE, &cert);
        assert_eq!(tbs_without_scts(&cert).unwrap(), tbs(&[&other]));
        // Without the extension: nothing to take out.
        let mut plain = tbs(&[&other]);
        plain.extend_from_slice(&[0x30, 0x00]);
        assert_eq!(tbs_without_scts(&encode(SEQUENCE, &plain)), None);
        assert_eq!(tbs_without_scts(&[0x30, 0x05, 1]), None);
    }
}
