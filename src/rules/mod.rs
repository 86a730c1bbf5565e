//! The rules: one file each, declared with [`declare_rule!`], registered by one line in the
//! registry below, and called by the [driver](driver) on what they visit.
//!
//! A rule reads the typed model and asks the engine; it never reads raw XML. Its page in
//! `rules/<name>.md` is compiled in, so a rule without documentation does not build.

pub mod apigeelint;
mod backend_route;
mod caller_check;
mod condition_size;
mod condition_walk;
mod driver;
mod left_false;
mod lifetime;
mod meta;
pub mod options;
mod project;
mod regex_syntax;
mod runs_twice;
mod structure;
mod token_policy;

pub use driver::{run, BundleRef, Context, FlowOwner, FlowSite, Phase, Plan, Rule, StepSite};
pub(crate) use meta::declare_rule;
pub use meta::{Category, Declared, OptionInfo, RuleMeta};
pub use options::{NoOptions, Options, OptionsType};

use crate::diagnostic::Diagnostic;

/// Declares each rule's module and lists its type in [`ALL`]: one line a rule.
macro_rules! registry {
    ($($(#[$attr:meta])* $module:ident::$ty:ident,)*) => {
        $($(#[$attr])* mod $module;)*

        /// The registry: every rule, in the order `oauthlint rules` lists them.
        pub static ALL: &[&dyn Rule] = &[$($(#[$attr])* &$module::$ty,)*];
    };
}

registry! {
    invalid_xml::InvalidXml,
    unreadable_file::UnreadableFile,
    unsafe_archive::UnsafeArchive,
    unknown_policy_reference::UnknownPolicyReference,
    invalid_condition::InvalidCondition,
    ambiguous_and_or::AmbiguousAndOr,
    condition_compares_unquoted_word::ConditionComparesUnquotedWord,
    unreachable_flow::UnreachableFlow,
    unreachable_step::UnreachableStep,
    analysis_limit_reached::AnalysisLimitReached,
    refresh_token_never_refreshed::RefreshTokenNeverRefreshed,
    getoauthv2info_validates_refresh_token::GetOAuthV2InfoValidatesRefreshToken,
    invalid_suppression::InvalidSuppression,
    unused_suppression::UnusedSuppression,
    unknown_policy_kind::UnknownPolicyKind,
    unknown_element::UnknownElement,
    unknown_attribute::UnknownAttribute,
    element_not_on_profile::ElementNotOnProfile,
    invalid_element_value::InvalidElementValue,
    missing_required_element::MissingRequiredElement,
    repeated_element::RepeatedElement,
    conflicting_elements::ConflictingElements,
    malformed_step::MalformedStep,
    unexpanded_template::UnexpandedTemplate,
    token_lifetime_too_long::TokenLifetimeTooLong,
    token_lifetime_unbounded::TokenLifetimeUnbounded,
    refresh_token_lifetime_unset::RefreshTokenLifetimeUnset,
    refresh_token_lifetime_too_long::RefreshTokenLifetimeTooLong,
    refresh_token_not_longer_than_access_token::RefreshTokenNotLongerThanAccessToken,
    token_lifetime_below_platform_minimum::TokenLifetimeBelowPlatformMinimum,
    token_lifetime_in_seconds::TokenLifetimeInSeconds,
    token_lifetime_placeholder_ref::TokenLifetimePlaceholderRef,
    token_lifetime_client_controlled::TokenLifetimeClientControlled,
    token_lifetime_not_a_number::TokenLifetimeNotANumber,
    multiple_token_operations_on_path::MultipleTokenOperationsOnPath,
    oauth_flow_unreachable::OAuthFlowUnreachable,
    no_token_revocation::NoTokenRevocation,
    tls_ignores_validation_errors::TlsIgnoresValidationErrors,
    revocation_endpoint_unauthenticated::RevocationEndpointUnauthenticated,
    password_grant_enabled::PasswordGrantEnabled,
    implicit_grant_enabled::ImplicitGrantEnabled,
    supported_grant_types_missing::SupportedGrantTypesMissing,
    refresh_token_rotation_disabled::RefreshTokenRotationDisabled,
    oauth_policy_continues_on_error::OAuthPolicyContinuesOnError,
    setoauthv2info_protected_attribute::SetOAuthV2InfoProtectedAttribute,
    oauth_element_not_applicable::OAuthElementNotApplicable,
    hardcoded_secret::HardcodedSecret,
    oauth_invalid_value::OAuthInvalidValue,
    token_never_returned::TokenNeverReturned,
    oauth_credentials_in_query::OAuthCredentialsInQuery,
    token_endpoint_accepts_get::TokenEndpointAcceptsGet,
    cors_any_origin_with_credentials::CorsAnyOriginWithCredentials,
    cors_on_authorization_endpoint::CorsOnAuthorizationEndpoint,
    external_authorization_unverified::ExternalAuthorizationUnverified,
    redirect_uri_not_exact::RedirectUriNotExact,
    authorization_code_without_pkce::AuthorizationCodeWithoutPkce,
    unverified_target_route::UnverifiedTargetRoute,
    token_verification_neutralised::TokenVerificationNeutralised,
    token_verification_skippable::TokenVerificationSkippable,
    token_verification_too_late::TokenVerificationTooLate,
    access_token_in_query::AccessTokenInQuery,
    token_check_is_not_verification::TokenCheckIsNotVerification,
    chained_proxy_unverified::ChainedProxyUnverified,
    name_differs_from_file::NameDiffersFromFile,
    unexpected_bundle_file::UnexpectedBundleFile,
    pkce_downgrade::PkceDowngrade,
    introspection_endpoint_unauthenticated::IntrospectionEndpointUnauthenticated,
    null_sensitive_security_condition::NullSensitiveSecurityCondition,
    oauth_endpoint_without_tls::OAuthEndpointWithoutTls,
    fault_rule_without_condition::FaultRuleWithoutCondition,
    raise_fault_misuse::RaiseFaultMisuse,
    unknown_target_reference::UnknownTargetReference,
    unreferenced_target::UnreferencedTarget,
    empty_target_url::EmptyTargetUrl,
    health_monitor_without_load_balancer::HealthMonitorWithoutLoadBalancer,
    client_auth_without_keystore::ClientAuthWithoutKeystore,
    unattached_policy::UnattachedPolicy,
    duplicate_policy::DuplicatePolicy,
    long_condition::LongCondition,
    complex_condition::ComplexCondition,
    too_many_policies::TooManyPolicies,
    cache_lookup_without_populate::CacheLookupWithoutPopulate,
    token_endpoint_unthrottled::TokenEndpointUnthrottled,
    target_route_without_threat_protection::TargetRouteWithoutThreatProtection,
    deprecated_policy::DeprecatedPolicy,
    misplaced_cors_policy::MisplacedCorsPolicy,
    target_route_unthrottled::TargetRouteUnthrottled,
    load_balancer_fallbacks::LoadBalancerFallbacks,
    duplicate_load_balancer_server::DuplicateLoadBalancerServer,
    load_balancer_max_failures::LoadBalancerMaxFailures,
    target_is_management_api::TargetIsManagementApi,
    target_without_tls::TargetWithoutTls,
    token_verification_after_side_effects::TokenVerificationAfterSideEffects,
    response_cache_caches_errors::ResponseCacheCachesErrors,
    service_callout_overwrites_message::ServiceCalloutOverwritesMessage,
    unreachable_route_rule::UnreachableRouteRule,
    missing_default_route_rule::MissingDefaultRouteRule,
    non_distributed_quota::NonDistributedQuota,
    quota_identifier_per_request::QuotaIdentifierPerRequest,
    body_policy_without_content_check::BodyPolicyWithoutContentCheck,
    unreferenced_resource::UnreferencedResource,
    duplicate_statistics_collector::DuplicateStatisticsCollector,
    invalid_javascript::InvalidJavascript,
    javascript_wait_for_complete::JavascriptWaitForComplete,
    load_balancer_tls_in_endpoint::LoadBalancerTlsInEndpoint,
    tls_store_not_reference::TlsStoreNotReference,
    tls_config_on_http_url::TlsConfigOnHttpUrl,
    quota_counted_twice::QuotaCountedTwice,
    invalid_quota_sharing::InvalidQuotaSharing,
    deprecated_element::DeprecatedElement,
    kvm_map_name_conflict::KvmMapNameConflict,
    useless_assign_to::UselessAssignTo,
    invalid_assign_variable::InvalidAssignVariable,
    payload_without_content_type::PayloadWithoutContentType,
    assign_message_does_nothing::AssignMessageDoesNothing,
    invalid_variable_name::InvalidVariableName,
    hmac_key_not_private::HmacKeyNotPrivate,
    jwt_key_missing::JwtKeyMissing,
    data_capture_reads_missing_response::DataCaptureReadsMissingResponse,
    condition_never_true::ConditionNeverTrue,
    constant_condition::ConstantCondition,
    duplicate_condition::DuplicateCondition,
    regex_lookaround::RegexLookaround,
    invalid_json_path::InvalidJsonPath,
    message_logging_repeated::MessageLoggingRepeated,
    multiple_proxy_endpoints::MultipleProxyEndpoints,
    payload_access_with_streaming::PayloadAccessWithStreaming,
    regex_greedy_wildcard::RegexGreedyWildcard,
    proxy_called_by_url::ProxyCalledByUrl,
    multi_value_header_first_value::MultiValueHeaderFirstValue,
    policy_name_without_kind_prefix::PolicyNameWithoutKindPrefix,
    display_name_differs_from_file::DisplayNameDiffersFromFile,
    #[cfg(test)]
    probe::Probe,
}

pub use unused_suppression::UnusedSuppression;

/// One finding for each load problem of `kind`, where the loader met it.
fn report_problems(
    cx: &Context,
    kind: crate::model::ProblemKind,
    meta: &'static RuleMeta,
    help: &str,
    out: &mut Vec<Diagnostic>,
) {
    for problem in cx.project.problems.iter().filter(|p| p.kind == kind) {
        out.push(Diagnostic::new(meta, problem.span, &problem.message).help(help));
    }
}

/// Collapses line breaks and the blanks around them, outside quotes, into one space.
pub(super) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote = None;
    let mut blanks = String::new();
    for c in text.chars() {
        if quote.is_none() && c.is_whitespace() {
            blanks.push(c);
            continue;
        }
        if !blanks.is_empty() {
            let broken = blanks.contains(['\n', '\r']);
            out.push_str(if broken { " " } else { &blanks });
            blanks.clear();
        }
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '"' || c == '\'' => quote = Some(c),
            _ => {}
        }
        out.push(c);
    }
    out
}

/// How many findings the rule `name` gives on `project` linted for `profile`: for the tests of
/// the rules whose findings depend on the platform.
#[cfg(test)]
fn findings_on_profile(
    name: &str,
    project: &crate::model::Project,
    profile: Option<crate::catalog::Profile>,
) -> usize {
    use crate::settings::{ConfigChoice, Options, Settings};
    let select = [name.to_owned()];
    let settings = Settings::new(&Options {
        paths: &[],
        config: ConfigChoice::Ignore,
        select: Some(&select),
        ignore: &[],
        levels: &[],
        preview: false,
        profile,
        baseline: None,
        threads: None,
    })
    .expect("settings without files");
    crate::lint(project, &settings).diagnostics.len()
}

pub fn find(name: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().name == name)
}

/// The help for a name that is no rule's: the closest rule, or where the rules are listed.
pub fn unknown_rule_help(name: &str) -> String {
    match crate::suggest::closest(name, ALL.iter().map(|r| r.meta().name)) {
        Some(rule) => format!("did you mean `{rule}`?"),
        None => "`oauthlint rules` lists them".into(),
    }
}
