//! Which key a JWT signing algorithm needs (X docs, generate-jwt-policy, `<Algorithm>`): an
//! HMAC algorithm a shared `<SecretKey>`, an RSA, RSA-PSS or elliptic-curve one a `<PrivateKey>`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigningKey {
    SecretKey,
    PrivateKey,
}

impl SigningKey {
    /// The key `algorithm` (`HS256`, `RS256`, `PS384`, `ES512`) signs with; `None` for a name
    /// Apigee does not list.
    pub fn for_algorithm(algorithm: &str) -> Option<SigningKey> {
        let bits = |b: &str| matches!(b, "256" | "384" | "512");
        match algorithm.trim().split_at_checked(2)? {
            ("HS", b) if bits(b) => Some(SigningKey::SecretKey),
            ("RS" | "PS" | "ES", b) if bits(b) => Some(SigningKey::PrivateKey),
            _ => None,
        }
    }

    pub fn tag_name(self) -> &'static str {
        match self {
            SigningKey::SecretKey => "SecretKey",
            SigningKey::PrivateKey => "PrivateKey",
        }
    }
}
