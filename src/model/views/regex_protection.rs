//! RegularExpressionProtection: the patterns it matches against the parts of a message.

use crate::model::Valued;
use crate::parse::xml::Element;

#[derive(Clone, Debug)]
pub struct RegexProtectionView {
    /// Every `<Pattern>`, in document order: those of `<URIPath>`, `<QueryParam>`, `<Header>`,
    /// `<FormParam>` and `<Variable>`, and of the `<XPath>`s and `<JSONPath>`s of
    /// `<XMLPayload>` and `<JSONPayload>`.
    pub patterns: Vec<Valued>,
}

impl RegexProtectionView {
    pub fn of(root: &Element) -> RegexProtectionView {
        let patterns = root
            .elements()
            .flat_map(|source| std::iter::once(source).chain(source.elements()))
            .flat_map(|holder| Valued::each(holder, "Pattern"))
            .collect();
        RegexProtectionView { patterns }
    }
}
