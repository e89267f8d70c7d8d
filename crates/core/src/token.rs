//! Acknowledgement tokens: 160 bits derived with HMAC-SHA256 from the registry's secret key and the delivery,
//! so the same link can be re-sent after a crash or in a reminder, while the database keeps only its hash.

use sha2::{Digest, Sha256};

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.iter().map(|b| b ^ 0x36).collect::<Vec<_>>());
    inner.update(msg);
    let mut outer = Sha256::new();
    outer.update(k.iter().map(|b| b ^ 0x5c).collect::<Vec<_>>());
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// The token of one delivery: 20 bytes (160 bits) of HMAC output, as 40 lower-case hex digits.
pub fn token(secret: &[u8], document_id: i64, recipient_code: &str) -> String {
    let mac = hmac_sha256(secret, format!("tamim-ack\0{document_id}\0{recipient_code}").as_bytes());
    hex::encode(&mac[..20])
}

/// The token of one person's staff link for a delivery: derived like [`token`] (so a reminder re-sends the same
/// link), under its own label so it can never equal a delivery's token.
pub fn staff_token(secret: &[u8], document_id: i64, recipient_code: &str, sicil: &str) -> String {
    let mac = hmac_sha256(
        secret,
        format!("tamim-staff\0{document_id}\0{recipient_code}\0{sicil}").as_bytes(),
    );
    hex::encode(&mac[..20])
}

/// The MAC a verification code is drawn from: HMAC-SHA256 under the registry's secret of what was issued,
/// so two offices issuing the same draft never share a code (and `/dogrula` can never name the wrong one).
pub fn verification_mac(secret: &[u8], issued: &str) -> [u8; 32] {
    hmac_sha256(secret, format!("tamim-verification\0{issued}").as_bytes())
}

/// What the database stores: the SHA-256 of the token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The key another tamim signs its reports on one delivery with (`POST /rapor`): HMAC-SHA256 keyed with the
/// delivery's acknowledgement token over `tamim report`. Only the recipient (the token is in its link) and
/// the issuer (it derives the token again from its secret) can compute it.
pub fn report_key(token: &str) -> [u8; 32] {
    hmac_sha256(token.as_bytes(), b"tamim report")
}

/// The public id a report names its delivery by: the SHA-256 of the token, which is what the issuer stores
/// (`token_hash`), so it is found by the index it already has; the token itself never travels in a report.
pub fn report_delivery_id(token: &str) -> String {
    token_hash(token)
}

/// A report's signature: HMAC-SHA256 under [`report_key`] over the exact bytes of the body, in hex.
pub fn report_mac(key: &[u8], body: &[u8]) -> String {
    hex::encode(hmac_sha256(key, body))
}

/// Compare two equal-length strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn tokens_are_stable_and_distinct() {
        let s = [7u8; 32];
        assert_eq!(token(&s, 1, "ODA-1"), token(&s, 1, "ODA-1"));
        assert_ne!(token(&s, 1, "ODA-1"), token(&s, 1, "ODA-2"));
        assert_ne!(token(&s, 1, "ODA-1"), token(&s, 2, "ODA-1"));
        assert_eq!(token(&s, 1, "ODA-1").len(), 40);
        let t = token(&s, 1, "ODA-1");
        assert_ne!(report_key(&t), report_key(&token(&s, 1, "ODA-2")));
        assert_eq!(report_delivery_id(&t), token_hash(&t));
        assert_eq!(report_mac(&report_key(&t), b"{}").len(), 64);
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd") && !constant_time_eq("abc", "ab"));
    }
}
