//! A policy file: its kind, its common attributes, a typed view for the kinds the engine and the
//! rules reason about, and what else they read of its elements (its texts, the resources it
//! names), taken from its element tree, which is dropped once the policy is built.

use super::ids::PolicyId;
use super::structure::Structure;
use super::values::{braced_names, Valued};
use super::views::{
    AssignMessageView, BodyParserView, CacheEntryView, CorsView, DataCaptureView,
    ExtractVariablesView, FlowCalloutView, GenerateJwtView, HmacView, KeyValueMapView,
    MessageLoggingView, OAuthV2View, QuotaView, RaiseFaultView, RegexProtectionView,
    ResponseCacheView, ServiceCalloutView, SetInfoView, TokenInfoView, VerifyApiKeyView,
};
use crate::catalog::facts::{
    Credential, Guard, KindFacts, SideEffect, SERVICE_CALLOUT_RESPONSE, UNKNOWN,
};
use crate::catalog::resources::resource_url_paths;
use crate::catalog::{OAuthOperation, PolicyKind};
use crate::parse::xml::{Element, Node};
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct Policy {
    pub id: PolicyId,
    /// The `name` attribute (which may differ from the file name).
    pub name: String,
    /// The `name` attribute's value, or the root tag when there is none.
    pub name_span: Span,
    /// What the root element says it is.
    pub kind: DeclaredKind,
    /// The root's `<DisplayName>`, which labels the policy in Apigee's UI: empty when the
    /// element is empty, `None` when there is none.
    pub display_name: Option<Valued>,
    pub enabled: bool,
    pub continue_on_error: bool,
    pub view: PolicyView,
    /// What the catalog finds wrong with the file.
    pub structure: Structure,
    /// The digest of its configuration, its name and display name left out: equal for two
    /// policies configured alike (see `digest::configuration`).
    pub configuration: u64,
    /// Every attribute value and text of its elements ([`Policy::mentioned_names`]).
    pub texts: Texts,
    /// The resource URLs it names ([`Policy::resource_urls`]).
    pub resource_urls: Vec<Valued>,
    /// Its root's `<Source>`, where its kind verifies a JWT or a JWS
    /// ([`Policy::credential_variable`]).
    pub source: Option<Valued>,
}

/// Every attribute value and text of a policy's elements, as written (untrimmed), in one string:
/// the order a walk from the root meets them, each element's attributes before its children.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    text: String,
    /// Where each piece ends in `text`.
    ends: Vec<u32>,
}

impl Texts {
    pub fn of(root: &Element) -> Texts {
        // The texts are at most the root's source (an entity is longer than what it stands
        // for): room for them at once, rather than growing the string a piece at a time.
        let mut texts = Texts {
            text: String::with_capacity(root.span.range().len()),
            ends: Vec::new(),
        };
        let mut push = |piece: &str| {
            texts.text.push_str(piece);
            texts.ends.push(texts.text.len() as u32);
        };
        let mut stack = vec![root];
        while let Some(e) = stack.pop() {
            for a in &e.attributes {
                push(&a.value);
            }
            for node in &e.children {
                match node {
                    Node::Element(child) => stack.push(child),
                    Node::Text(text) => push(&text.value),
                    Node::Comment(_) => {}
                }
            }
        }
        texts.text.shrink_to_fit();
        texts.ends.shrink_to_fit();
        texts
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.text[start as usize..end as usize])
    }
}

/// The kind a policy's root element names: one of the catalog's, or a name it does not know
/// (misspelt, newer than the catalog, an endpoint in `policies/`), kept as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclaredKind {
    Known(PolicyKind),
    Unknown(String),
}

#[derive(Clone, Debug)]
pub enum PolicyView {
    /// Boxed: its many elements make it the largest.
    OAuthV2(Box<OAuthV2View>),
    /// Boxed, as are Quota's: the largest views after OAuthV2's, which would set the size of
    /// every policy's view.
    GetOAuthV2Info(Box<TokenInfoView>),
    DeleteOAuthV2Info(Box<TokenInfoView>),
    SetOAuthV2Info(SetInfoView),
    FlowCallout(FlowCalloutView),
    AssignMessage(AssignMessageView),
    CORS(CorsView),
    VerifyAPIKey(VerifyApiKeyView),
    ExtractVariables(ExtractVariablesView),
    LookupCache(CacheEntryView),
    PopulateCache(CacheEntryView),
    KeyValueMapOperations(KeyValueMapView),
    MessageLogging(MessageLoggingView),
    Quota(Box<QuotaView>),
    RaiseFault(RaiseFaultView),
    RegularExpressionProtection(RegexProtectionView),
    ResponseCache(ResponseCacheView),
    ServiceCallout(ServiceCalloutView),
    HMAC(HmacView),
    GenerateJWT(GenerateJwtView),
    DataCapture(DataCaptureView),
    /// The kinds that parse a whole message body.
    BodyParser(BodyParserView),
    Other,
}

impl DeclaredKind {
    pub fn of(root: &str) -> DeclaredKind {
        match PolicyKind::from_name(root) {
            Some(kind) => DeclaredKind::Known(kind),
            None => DeclaredKind::Unknown(root.to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            DeclaredKind::Known(kind) => kind.name(),
            DeclaredKind::Unknown(name) => name,
        }
    }

    /// What the catalog says of the kind; of a kind it does not know, what the engine assumes.
    pub fn facts(&self) -> KindFacts {
        match self {
            DeclaredKind::Known(kind) => kind.facts(),
            DeclaredKind::Unknown(_) => UNKNOWN,
        }
    }
}

impl std::fmt::Display for DeclaredKind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PolicyView {
    pub fn of(kind: &DeclaredKind, root: &Element) -> PolicyView {
        let DeclaredKind::Known(kind) = kind else {
            return PolicyView::Other;
        };
        match kind {
            PolicyKind::OAuthV2 => PolicyView::OAuthV2(Box::new(OAuthV2View::of(root))),
            PolicyKind::GetOAuthV2Info => {
                PolicyView::GetOAuthV2Info(Box::new(TokenInfoView::of(root)))
            }
            PolicyKind::DeleteOAuthV2Info => {
                PolicyView::DeleteOAuthV2Info(Box::new(TokenInfoView::of(root)))
            }
            PolicyKind::SetOAuthV2Info => PolicyView::SetOAuthV2Info(SetInfoView::of(root)),
            PolicyKind::FlowCallout => PolicyView::FlowCallout(FlowCalloutView::of(root)),
            PolicyKind::AssignMessage => PolicyView::AssignMessage(AssignMessageView::of(root)),
            PolicyKind::CORS => PolicyView::CORS(CorsView::of(root)),
            PolicyKind::VerifyAPIKey => PolicyView::VerifyAPIKey(VerifyApiKeyView::of(root)),
            PolicyKind::ExtractVariables => {
                PolicyView::ExtractVariables(ExtractVariablesView::of(root))
            }
            PolicyKind::LookupCache => PolicyView::LookupCache(CacheEntryView::of(root)),
            PolicyKind::PopulateCache => PolicyView::PopulateCache(CacheEntryView::of(root)),
            PolicyKind::KeyValueMapOperations => {
                PolicyView::KeyValueMapOperations(KeyValueMapView::of(root))
            }
            PolicyKind::MessageLogging => PolicyView::MessageLogging(MessageLoggingView::of(root)),
            PolicyKind::Quota => PolicyView::Quota(Box::new(QuotaView::of(root))),
            PolicyKind::RaiseFault => PolicyView::RaiseFault(RaiseFaultView::of(root)),
            PolicyKind::RegularExpressionProtection => {
                PolicyView::RegularExpressionProtection(RegexProtectionView::of(root))
            }
            PolicyKind::ResponseCache => PolicyView::ResponseCache(ResponseCacheView::of(root)),
            PolicyKind::ServiceCallout => PolicyView::ServiceCallout(ServiceCalloutView::of(root)),
            PolicyKind::HMAC => PolicyView::HMAC(HmacView::of(root)),
            PolicyKind::GenerateJWT => PolicyView::GenerateJWT(GenerateJwtView::of(root)),
            PolicyKind::DataCapture => PolicyView::DataCapture(DataCaptureView::of(root)),
            kind if kind.parses_message_body() => PolicyView::BodyParser(BodyParserView::of(root)),
            _ => PolicyView::Other,
        }
    }
}

impl Policy {
    /// The kind's name as the root element spells it, for messages.
    pub fn kind_name(&self) -> &str {
        self.kind.name()
    }

    pub fn facts(&self) -> KindFacts {
        self.kind.facts()
    }

    pub fn oauth_v2(&self) -> Option<&OAuthV2View> {
        match &self.view {
            PolicyView::OAuthV2(v) => Some(v),
            _ => None,
        }
    }

    /// The OAuthV2 operation it runs, if it is an OAuthV2 and names one.
    pub fn operation(&self) -> Option<OAuthOperation> {
        self.oauth_v2().and_then(OAuthV2View::operation)
    }

    /// Does a run verify the caller's credential (see `PolicyKind::verifies_credential`)?
    pub fn verifies_credential(&self) -> bool {
        matches!(self.kind, DeclaredKind::Known(k) if k.verifies_credential(self.operation()))
    }

    /// May a run verify a credential the reference does not describe (see `Guard::MayVerify`)?
    pub fn may_verify_credential(&self) -> bool {
        self.facts().guard == Some(Guard::MayVerify)
    }

    /// May a run answer a CORS preflight itself (see `PolicyKind::may_answer_preflight`)?
    pub fn may_answer_preflight(&self) -> bool {
        matches!(self.kind, DeclaredKind::Known(k) if k.may_answer_preflight())
    }

    /// Does a run limit the request rate (see `PolicyKind::limits_request_rate`)?
    pub fn limits_request_rate(&self) -> bool {
        matches!(self.kind, DeclaredKind::Known(k) if k.limits_request_rate())
    }

    /// What a run does outside the request (see `SideEffect`), if anything that the kind or
    /// the configuration makes certain.
    pub fn side_effect(&self) -> Option<SideEffect> {
        match (&self.kind, &self.view) {
            (_, PolicyView::KeyValueMapOperations(v)) => {
                v.write.map(|_| SideEffect::WritesKeyValueMap)
            }
            (_, PolicyView::MessageLogging(v)) => v.syslog.map(|_| SideEffect::LogsToSyslog),
            (DeclaredKind::Known(k), _) => k.side_effect(),
            (DeclaredKind::Unknown(_), _) => None,
        }
    }

    /// May a run set `name`? Where the view says what the policy sets (AssignMessage,
    /// ExtractVariables), that; otherwise whether it mentions the name anywhere.
    pub fn may_set(&self, name: &str) -> bool {
        match &self.view {
            PolicyView::AssignMessage(_) | PolicyView::ExtractVariables(_) => {
                self.names_set().contains(&name)
            }
            _ => self.mentioned_names().contains(&name),
        }
    }

    /// The variable holding the credential a verification checks, where the policy names one:
    /// a VerifyAPIKey's `<APIKey ref>`, an OAuthV2's `<AccessToken>`, a VerifyJWT's or
    /// VerifyJWS's `<Source>`. `None` when it reads its default (the request's `Authorization`
    /// header).
    pub fn credential_variable(&self) -> Option<String> {
        let named = match &self.view {
            PolicyView::VerifyAPIKey(v) => v.api_key.as_ref()?.reference.clone(),
            PolicyView::OAuthV2(v) => v.access_token.clone(),
            _ => self.source.clone(),
        };
        named.map(|v| v.value)
    }

    /// The variables a run sets by name, where its view says: an AssignMessage's
    /// `<AssignVariable>`s, an ExtractVariables' variables (prefix included); none otherwise.
    pub fn names_set(&self) -> Vec<&str> {
        match &self.view {
            PolicyView::AssignMessage(v) => v
                .assign_variables
                .iter()
                .filter_map(|a| a.name.as_ref().map(|n| n.value.as_str()))
                .collect(),
            PolicyView::ExtractVariables(v) => v.sets.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The variable a run with a side effect hands on to later policies: a ServiceCallout's
    /// response, the variable a PopulateCache stores (read again later, from the cache or
    /// itself).
    pub fn handed_on(&self) -> Option<String> {
        match &self.view {
            PolicyView::ServiceCallout(v) => Some(
                v.response_variable
                    .as_ref()
                    .map_or_else(|| SERVICE_CALLOUT_RESPONSE.to_owned(), |r| r.value.clone()),
            ),
            PolicyView::PopulateCache(v) => v.source.as_ref().map(|s| s.value.clone()),
            _ => None,
        }
    }

    /// Does a run check the request for threats (see `PolicyKind::protects_against_threats`)?
    pub fn protects_against_threats(&self) -> bool {
        matches!(self.kind, DeclaredKind::Known(k) if k.protects_against_threats())
    }

    pub fn token_info(&self) -> Option<&TokenInfoView> {
        match &self.view {
            PolicyView::GetOAuthV2Info(v) | PolicyView::DeleteOAuthV2Info(v) => Some(v),
            _ => None,
        }
    }

    /// The cache entry a LookupCache reads.
    pub fn cache_lookup(&self) -> Option<&CacheEntryView> {
        match &self.view {
            PolicyView::LookupCache(v) => Some(v),
            _ => None,
        }
    }

    /// The cache entry a PopulateCache writes.
    pub fn cache_population(&self) -> Option<&CacheEntryView> {
        match &self.view {
            PolicyView::PopulateCache(v) => Some(v),
            _ => None,
        }
    }

    pub fn key_value_map(&self) -> Option<&KeyValueMapView> {
        match &self.view {
            PolicyView::KeyValueMapOperations(v) => Some(v),
            _ => None,
        }
    }

    pub fn quota(&self) -> Option<&QuotaView> {
        match &self.view {
            PolicyView::Quota(v) => Some(v),
            _ => None,
        }
    }

    /// Where the policy reads a message body, and which message it names (`<Source>`; `None`:
    /// the flow's message): the name of a kind that parses a whole body, or the first payload or
    /// form element of an ExtractVariables.
    pub fn body_read(&self) -> Option<(Option<&Valued>, Span)> {
        match &self.view {
            PolicyView::BodyParser(v) => Some((v.source.as_ref(), self.name_span)),
            PolicyView::ExtractVariables(v) => {
                let &(_, at) = v.body_reads.first()?;
                Some((v.source.as_ref(), at))
            }
            _ => None,
        }
    }

    pub fn extract_variables(&self) -> Option<&ExtractVariablesView> {
        match &self.view {
            PolicyView::ExtractVariables(v) => Some(v),
            _ => None,
        }
    }

    pub fn regex_protection(&self) -> Option<&RegexProtectionView> {
        match &self.view {
            PolicyView::RegularExpressionProtection(v) => Some(v),
            _ => None,
        }
    }

    pub fn response_cache(&self) -> Option<&ResponseCacheView> {
        match &self.view {
            PolicyView::ResponseCache(v) => Some(v),
            _ => None,
        }
    }

    pub fn service_callout(&self) -> Option<&ServiceCalloutView> {
        match &self.view {
            PolicyView::ServiceCallout(v) => Some(v),
            _ => None,
        }
    }

    pub fn flow_callout(&self) -> Option<&FlowCalloutView> {
        match &self.view {
            PolicyView::FlowCallout(v) => Some(v),
            _ => None,
        }
    }

    /// The resource URLs the policy names (`jsc://a.js`), where its kind names them
    /// ([`crate::catalog::resources`]), as written.
    pub fn resource_urls(&self) -> &[Valued] {
        &self.resource_urls
    }

    /// Every attribute value and text of the policy's elements, and every `{name}` in them,
    /// trimmed: wherever a policy names a variable it sets (`<AssignVariable><Name>`, patterns,
    /// `assignTo`, a callout's `<Response>`, …), and more, for kinds no view describes.
    pub fn mentioned_names(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for text in self.texts.iter() {
            mention(text, &mut names);
        }
        names
    }
}

/// [`Policy::resource_urls`], from its element tree.
pub(super) fn resource_urls(kind: &DeclaredKind, root: &Element) -> Vec<Valued> {
    let DeclaredKind::Known(kind) = *kind else {
        return Vec::new();
    };
    let mut urls = Vec::new();
    for path in resource_url_paths(kind) {
        let mut level = vec![root];
        for name in *path {
            level = level.iter().flat_map(|e| e.children_named(name)).collect();
        }
        urls.extend(level.into_iter().filter_map(Valued::text_of));
    }
    urls
}

/// [`Policy::source`], from its element tree: only a JWT's or JWS's verification reads it.
pub(super) fn credential_source(kind: &DeclaredKind, root: &Element) -> Option<Valued> {
    match kind.facts().guard {
        Some(Guard::Verifies(Credential::Jwt | Credential::Jws)) => {
            Valued::child_text(root, "Source")
        }
        _ => None,
    }
}

fn mention<'a>(text: &'a str, names: &mut Vec<&'a str>) {
    names.push(text.trim());
    names.extend(braced_names(text));
}
