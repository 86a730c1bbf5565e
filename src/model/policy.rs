//! A policy file: its common attributes, its element tree, and a typed view for the kinds the
//! rules reason about.

use super::ids::PolicyId;
use super::structure::Structure;
use super::views::{FlowCalloutView, OAuthV2View, TokenInfoView};
use crate::parse::xml::Element;
use crate::source::Span;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Policy {
    pub id: PolicyId,
    /// The `name` attribute (which may differ from the file name).
    pub name: String,
    /// The `name` attribute's value, or the root tag when there is none.
    pub name_span: Span,
    /// The root element's name: `OAuthV2`, `AssignMessage`, …
    pub kind: String,
    pub enabled: bool,
    pub continue_on_error: bool,
    /// The generic element view, for kinds without a typed view (the file's tree, shared with
    /// [`super::Trees`]).
    pub element: Arc<Element>,
    pub view: PolicyView,
    /// What the catalog finds wrong with the file.
    pub structure: Structure,
}

#[derive(Clone, Debug)]
pub enum PolicyView {
    OAuthV2(OAuthV2View),
    GetOAuthV2Info(TokenInfoView),
    DeleteOAuthV2Info(TokenInfoView),
    FlowCallout(FlowCalloutView),
    Other,
}

impl Policy {
    pub fn oauth_v2(&self) -> Option<&OAuthV2View> {
        match &self.view {
            PolicyView::OAuthV2(v) => Some(v),
            _ => None,
        }
    }

    pub fn token_info(&self) -> Option<&TokenInfoView> {
        match &self.view {
            PolicyView::GetOAuthV2Info(v) | PolicyView::DeleteOAuthV2Info(v) => Some(v),
            _ => None,
        }
    }

    pub fn flow_callout(&self) -> Option<&FlowCalloutView> {
        match &self.view {
            PolicyView::FlowCallout(v) => Some(v),
            _ => None,
        }
    }
}
