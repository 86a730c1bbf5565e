//! GenerateJWT: the signing algorithm and the keys given for it.

use crate::model::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct GenerateJwtView {
    /// `<Algorithm>`: the signing algorithm of a signed JWT (an encrypted one has `<Algorithms>`).
    pub algorithm: Option<Valued>,
    /// The start tags of `<SecretKey>`, `<PrivateKey>` and `<PublicKey>`, when there.
    pub secret_key: Option<Span>,
    pub private_key: Option<Span>,
    pub public_key: Option<Span>,
}

impl GenerateJwtView {
    pub fn of(root: &Element) -> GenerateJwtView {
        let tag = |name| root.child(name).map(Element::head);
        GenerateJwtView {
            algorithm: Valued::child_text(root, "Algorithm"),
            secret_key: tag("SecretKey"),
            private_key: tag("PrivateKey"),
            public_key: tag("PublicKey"),
        }
    }
}
