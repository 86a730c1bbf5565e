//! ProxyEndpoint, TargetEndpoint and SharedFlow: flows, steps, routes and fault rules.

use super::ids::{ConditionId, EndpointId, FlowId, RouteRuleId, StepId};
use super::structure::Structure;
use super::target::{HttpTargetConnection, LoadBalancer, LocalTargetConnection, SslInfo};
use super::values::{Properties, Valued};
use crate::source::{Span, TextMap};
use std::ops::Range;

/// A `<Condition>` as written, XML-decoded. Empty text means always true.
#[derive(Clone, Debug)]
pub struct Condition {
    pub id: ConditionId,
    pub text: String,
    /// The condition text (or the empty element) in its file.
    pub span: Span,
    /// Where each byte of `text` is in the file (entities and CDATA make them differ).
    pub map: TextMap,
}

impl Condition {
    /// The file span of `range`, a byte range of `text` such as a token's.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        if self.text.is_empty() {
            return self.span;
        }
        self.map.span(self.span.file, range)
    }
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: StepId,
    /// The policy name; empty when the Step has no `<Name>` or an empty one.
    pub name: String,
    /// The `<Name>` text, or the `<Step>` tag when there is none.
    pub name_span: Span,
    pub condition: Option<Condition>,
    /// The `<Step>` tag's name.
    pub span: Span,
    /// The whole `<Step>` element.
    pub extent: Span,
    /// What is wrong with the element, in document order; the step is kept as written.
    pub problems: Vec<StepProblem>,
}

/// Something a `<Step>` holds that the schema does not allow (one `<Name>`, at most one
/// `<Condition>`, nothing else), and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepProblem {
    pub kind: StepProblemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepProblemKind {
    /// No `<Name>` child (the span is the `<Step>` tag).
    NoName,
    /// A `<Name>` with no text.
    EmptyName,
    /// A second `<Name>`: Apigee reads the first (as the model does).
    ExtraName,
    /// A second `<Condition>`: the model keeps the first.
    ExtraCondition,
    /// A child element other than `<Name>` and `<Condition>`, by its name.
    UnknownChild(String),
    /// Text directly inside `<Step>`, outside its children.
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlowKind {
    PreFlow,
    /// A named, conditional `<Flow>` of `<Flows>`: only the first whose condition holds runs.
    Conditional,
    PostFlow,
    PostClientFlow,
    FaultRule,
    DefaultFaultRule,
    /// The steps of a shared flow.
    SharedFlow,
}

/// A sequence of steps for the request and for the response. Fault rules and shared flows use
/// `request` only.
#[derive(Clone, Debug)]
pub struct Flow {
    pub id: FlowId,
    pub kind: FlowKind,
    pub name: Option<String>,
    pub condition: Option<Condition>,
    pub request: Vec<Step>,
    pub response: Vec<Step>,
    /// `<AlwaysEnforce>true` on a DefaultFaultRule.
    pub always_enforce: bool,
    /// The flow's start tag name.
    pub span: Span,
    /// The whole flow element.
    pub extent: Span,
}

/// The flow parts that proxy and target endpoints share.
#[derive(Clone, Debug, Default)]
pub struct Flows {
    pub pre_flow: Option<Flow>,
    pub conditional: Vec<Flow>,
    pub post_flow: Option<Flow>,
    pub post_client_flow: Option<Flow>,
    pub fault_rules: Vec<Flow>,
    pub default_fault_rule: Option<Flow>,
    /// The policies the Steps of an `<EventFlow>` (Apigee X's streamed responses) name. Its
    /// Steps run once per event, outside the flows above, and are not modelled as a flow.
    pub event_flow_policies: Vec<String>,
}

impl Flows {
    pub fn all(&self) -> impl Iterator<Item = &Flow> {
        self.pre_flow
            .iter()
            .chain(&self.conditional)
            .chain(&self.post_flow)
            .chain(&self.post_client_flow)
            .chain(&self.fault_rules)
            .chain(&self.default_fault_rule)
    }
}

#[derive(Clone, Debug)]
pub struct RouteRule {
    pub id: RouteRuleId,
    pub name: Option<String>,
    pub condition: Option<Condition>,
    /// Empty, at the element's tag, for an empty `<TargetEndpoint/>`.
    pub target_endpoint: Option<Valued>,
    pub url: Option<Valued>,
    pub span: Span,
    /// The whole `<RouteRule>` element.
    pub extent: Span,
}

impl RouteRule {
    /// A RouteRule with neither a TargetEndpoint nor a URL sends no request to a backend.
    pub fn is_null_route(&self) -> bool {
        self.target_endpoint.is_none() && self.url.is_none()
    }
}

#[derive(Clone, Debug)]
pub struct ProxyEndpoint {
    pub id: EndpointId,
    /// The `name` attribute (which may differ from the file name).
    pub name: String,
    /// The `name` attribute's value, or the root tag when there is none.
    pub name_span: Span,
    pub span: Span,
    /// The whole file's root element.
    pub extent: Span,
    pub connection: Option<HttpProxyConnection>,
    pub flows: Flows,
    pub route_rules: Vec<RouteRule>,
    /// What the catalog finds wrong with the file.
    pub structure: Structure,
}

impl ProxyEndpoint {
    /// The `<BasePath>` of its `<HTTPProxyConnection>`.
    pub fn base_path(&self) -> Option<&Valued> {
        self.connection.as_ref()?.base_path.as_ref()
    }
}

/// `<HTTPProxyConnection>`: where clients reach the endpoint.
#[derive(Clone, Debug)]
pub struct HttpProxyConnection {
    pub base_path: Option<Valued>,
    pub virtual_hosts: Vec<Valued>,
    pub properties: Option<Properties>,
    /// The `<HTTPProxyConnection>` tag.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct TargetEndpoint {
    pub id: EndpointId,
    /// The `name` attribute (which may differ from the file name).
    pub name: String,
    /// The `name` attribute's value, or the root tag when there is none.
    pub name_span: Span,
    pub span: Span,
    /// The whole file's root element.
    pub extent: Span,
    pub flows: Flows,
    /// Both connections are kept when a file (wrongly) gives both.
    pub http: Option<HttpTargetConnection>,
    pub local: Option<LocalTargetConnection>,
    /// What the catalog finds wrong with the file.
    pub structure: Structure,
}

impl TargetEndpoint {
    /// The `<LoadBalancer>` of its `<HTTPTargetConnection>`, when it has one.
    pub fn load_balancer(&self) -> Option<&LoadBalancer> {
        self.http.as_ref().and_then(|h| h.load_balancer.as_deref())
    }

    /// The `<SSLInfo>` that applies to the call to its `<URL>` (see
    /// [`HttpTargetConnection::tls_in_use`]).
    pub fn tls_in_use(&self) -> Option<&SslInfo> {
        self.http.as_ref().and_then(|h| h.tls_in_use())
    }
}

#[derive(Clone, Debug)]
pub struct SharedFlow {
    pub id: EndpointId,
    pub name: String,
    pub span: Span,
    /// The whole file's root element.
    pub extent: Span,
    pub steps: Flow,
    /// What the catalog finds wrong with the file.
    pub structure: Structure,
}
