//! What running one policy does to a state: the variables it sets, the tokens it issues or
//! checks, and whether it fails. FlowCallout and the error path belong to the interpreter.

use super::catalog;
use super::condition::{Lookup, Value};
use super::oauth::{fault, Fault, Grant, Status, TokenEvent, TokenStore};
use super::state::{State, World};
use crate::catalog::facts::{
    Sets, TokenAction, DEFAULT_GRANTS, REFRESH_TOKEN_GRANTS, VERIFIED_TOKEN_VARIABLES,
};
use crate::catalog::OAuthOperation;
use crate::model::{
    AssignMessageView, ChangeAction, Enumerated, OAuthV2View, Policy, PolicyView, TokenInfoView,
    ValueSource, Valued, VerifyApiKeyView,
};

pub enum Outcome {
    Ok,
    Fault(Fault),
    /// Symbolic runs: it may fail or succeed; the state continues as the success.
    MayFault,
    /// Concrete runs: it reads a value the simulation cannot know (why, for the trace); the run
    /// goes on as if it succeeded, with what it sets unknown.
    Unknown(String),
}

/// What a policy run left for the trace besides the state.
#[derive(Default)]
pub struct Report {
    pub tokens: Vec<TokenEvent>,
    pub notes: Vec<String>,
}

pub struct Runner<'a> {
    pub world: World<'a>,
    /// The token store of a concrete run; `None` for symbolic runs.
    pub store: Option<&'a mut TokenStore>,
}

impl Runner<'_> {
    pub fn run(&mut self, policy: &Policy, state: &mut State, report: &mut Report) -> Outcome {
        if let Some(name) = policy.facts().raises {
            let cause = format!("{} `{}`", policy.kind, policy.name);
            return Outcome::Fault(fault(name, cause));
        }
        let world = self.world;
        match (&policy.view, self.store.as_deref_mut()) {
            (PolicyView::AssignMessage(view), _) => assign_message(view, world, state),
            (PolicyView::OAuthV2(view), Some(store)) => {
                oauth(world, store, policy, view, state, report)
            }
            (PolicyView::GetOAuthV2Info(view), Some(store)) => {
                get_info(world, store, policy, view, state, report)
            }
            (PolicyView::DeleteOAuthV2Info(view), Some(store)) => {
                delete_info(world, store, policy, view, state, report)
            }
            (PolicyView::VerifyAPIKey(view), Some(store)) => {
                verify_api_key(world, store, policy, view, state)
            }
            _ => self.unsimulated(policy, state, report),
        }
    }

    /// A run the engine does not simulate (every run of a symbolic analysis but AssignMessage's
    /// and RaiseFault's): what the policy sets becomes unknown, as the catalog's facts say.
    fn unsimulated(&self, policy: &Policy, state: &mut State, report: &mut Report) -> Outcome {
        for prefix in catalog::outcome_variable_prefixes(policy) {
            state.forget(&prefix);
        }
        if policy.operation().map(OAuthOperation::action) == Some(TokenAction::VerifiesAccessToken)
        {
            for name in VERIFIED_TOKEN_VARIABLES {
                state.forget(name);
            }
        }
        let concrete = self.store.is_some();
        match policy.facts().sets {
            Sets::Nothing => return Outcome::Ok,
            Sets::Prefixed(prefixes) => prefixes.iter().for_each(|p| state.forget(p)),
            Sets::Anything => {
                state.opaque = true;
                if concrete {
                    report
                        .notes
                        .push(format!("{} `{}` is not simulated: assumed to succeed, the variables it sets are unknown", policy.kind, policy.name));
                }
            }
        }
        if concrete {
            Outcome::Ok
        } else {
            Outcome::MayFault
        }
    }
}

fn verify_api_key(
    world: World,
    store: &TokenStore,
    policy: &Policy,
    view: &VerifyApiKeyView,
    state: &mut State,
) -> Outcome {
    let key = match &view.api_key {
        Some(source) => match resolve_source(world, state, source) {
            Ok(key) => key,
            Err(Unknowable(v)) => return unknown_outcome(policy, state, &v),
        },
        None => None,
    };
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        return Outcome::Fault(fault("FailedToResolveAPIKey", "no API key in the request"));
    };
    if let Err(f) = store.authenticate(Some(&key), None) {
        return Outcome::Fault(fault("InvalidApiKey", f.cause));
    }
    state.set_text(
        format!("verifyapikey.{}.client_id", policy.name),
        key.clone(),
    );
    state.set_text("client_id", key);
    Outcome::Ok
}

fn delete_info(
    world: World,
    store: &mut TokenStore,
    policy: &Policy,
    view: &TokenInfoView,
    state: &mut State,
    report: &mut Report,
) -> Outcome {
    let token = match view.access_token.as_ref() {
        Some(source) => match resolve_source(world, state, source) {
            Ok(token) => token,
            Err(Unknowable(v)) => return unknown_outcome(policy, state, &v),
        },
        None => None,
    };
    if let Some(token) = token.and_then(|t| store.by_access(&t).map(|i| (i, t))) {
        store.tokens[token.0].access_status = Status::Revoked;
        report
            .tokens
            .push(event("deleted", "access token", &token.1, ""));
    }
    Outcome::Ok
}

fn oauth(
    world: World,
    store: &mut TokenStore,
    policy: &Policy,
    view: &OAuthV2View,
    state: &mut State,
    report: &mut Report,
) -> Outcome {
    let Some(op) = &view.operation else {
        // As the analysis has it (`catalog::may_exchange_refresh_tokens`): unknown, not a fault.
        return unknown(policy, state, NO_OPERATION);
    };
    match operation(world, store, policy, view, op, state, report) {
        Ok(outcome) => outcome,
        Err(Unknowable(variable)) => unknown_outcome(policy, state, &variable),
    }
}

/// An OAuthV2 operation against the token store; `Err` when it reads a variable whose value
/// the simulation cannot know.
fn operation(
    world: World,
    store: &mut TokenStore,
    policy: &Policy,
    view: &OAuthV2View,
    op: &Enumerated<OAuthOperation>,
    state: &mut State,
    report: &mut Report,
) -> Result<Outcome, Unknowable> {
    // Most OAuthV2 elements name the variable that holds the value (reference §1.2).
    let read = |variable: &str| resolve(world, state, variable);
    let var = |element: &Option<Valued>, default: &str| {
        read(element.as_ref().map_or(default, |v| v.value.as_str()))
    };
    let lifetime = |source: &Option<ValueSource>| lifetime(world, state, source.as_ref());
    let (basic_id, basic_secret) = basic_credentials(world, state)?;
    let prefix = |kind: &str| format!("{kind}.{}.", policy.name);
    let Some(known) = op.value else {
        report.notes.push(format!(
            "operation `{}` is not simulated: assumed to succeed",
            op.raw.value
        ));
        state.opaque = true;
        return Ok(Outcome::Ok);
    };
    let action = known.action();
    Ok(match action {
        TokenAction::IssuesCode => {
            let client = match &view.client_id {
                Some(v) => read(&v.value)?,
                None => None,
            };
            let client = match client {
                Some(c) => Some(c),
                None => read("request.queryparam.client_id")?,
            };
            if let Err(f) = store.authenticate(client.as_deref(), None) {
                return Ok(Outcome::Fault(f));
            }
            let client = client.unwrap_or_default();
            let redirect = var(&view.redirect_uri, "request.queryparam.redirect_uri")?;
            if let Some(app) = store.apps.iter().find(|a| a.client_id == client) {
                if let Some(uri) = &redirect {
                    if !app.callbacks.is_empty() && !app.callbacks.contains(uri) {
                        return Ok(Outcome::Fault(fault(
                            "invalid_request",
                            format!("redirect_uri `{uri}` is not a registered callback"),
                        )));
                    }
                }
            }
            let scope = var(&view.scope, "request.queryparam.scope")?.unwrap_or_default();
            let (code, e) = store.issue_code(
                &client,
                redirect.as_deref(),
                &scope,
                lifetime(&view.expires_in),
            );
            report.tokens.push(e);
            state.set_text(format!("{}code", prefix("oauthv2authcode")), code);
            Outcome::Ok
        }
        TokenAction::IssuesTokens | TokenAction::IssuesImplicitToken => {
            let implicit = action == TokenAction::IssuesImplicitToken;
            let grant = if implicit {
                "implicit".to_owned()
            } else {
                var(&view.grant_type, "request.formparam.grant_type")?.unwrap_or_default()
            };
            let allowed: Vec<&str> = match &view.supported_grant_types {
                Some(list) => list.grants.iter().map(|g| g.value.as_str()).collect(),
                None => DEFAULT_GRANTS.to_vec(),
            };
            if !implicit && !allowed.contains(&grant.as_str()) {
                // The fault name Apigee gives (§1.6 ✔), not RFC 6749's `unsupported_grant_type`.
                return Ok(Outcome::Fault(fault(
                    "UnSupportedGrantType",
                    format!("grant type `{grant}` is not among {}", allowed.join(", ")),
                )));
            }
            let client = match &view.client_id {
                Some(v) => read(&v.value)?,
                None => None,
            };
            let client = match client.or(basic_id.clone()) {
                Some(c) => Some(c),
                None => read("request.formparam.client_id")?,
            };
            let secret = if implicit {
                None
            } else {
                Some(match basic_secret.clone() {
                    Some(s) => Some(s),
                    None => read("request.formparam.client_secret")?,
                })
            };
            if let Err(f) =
                store.authenticate(client.as_deref(), secret.as_ref().map(|s| s.as_deref()))
            {
                return Ok(Outcome::Fault(f));
            }
            let client = client.unwrap_or_default();
            let mut scope = var(&view.scope, "request.formparam.scope")?.unwrap_or_default();
            match grant.as_str() {
                "authorization_code" => {
                    let code = var(&view.code, "request.formparam.code")?.unwrap_or_default();
                    let redirect = var(&view.redirect_uri, "request.formparam.redirect_uri")?;
                    match store.redeem_code(&code, &client, redirect.as_deref()) {
                        Ok((code_scope, e)) => {
                            report.tokens.push(e);
                            scope = code_scope;
                        }
                        Err(f) => return Ok(Outcome::Fault(f)),
                    }
                }
                "password" => {
                    let user = var(&view.user_name, "request.formparam.username")?;
                    let pass = var(&view.password, "request.formparam.password")?;
                    if user.as_deref().unwrap_or("").is_empty()
                        || pass.as_deref().unwrap_or("").is_empty()
                    {
                        return Ok(Outcome::Fault(fault(
                            "invalid_request",
                            "the password grant needs a username and a password",
                        )));
                    }
                }
                _ => {}
            }
            let (i, events) = store.mint(Grant {
                client_id: &client,
                grant_type: &grant,
                scope: &scope,
                with_refresh: REFRESH_TOKEN_GRANTS.contains(&grant.as_str()),
                expires_in: lifetime(&view.expires_in),
                refresh_expires_in: lifetime(&view.refresh_token_expires_in),
            });
            report.tokens.extend(events);
            set_token_variables(state, &prefix("oauthv2accesstoken"), store, i);
            Outcome::Ok
        }
        TokenAction::ExchangesRefreshToken => {
            let grant = var(&view.grant_type, "request.formparam.grant_type")?.unwrap_or_default();
            if grant != "refresh_token" {
                return Ok(Outcome::Fault(fault(
                    "invalid_request",
                    format!("grant type `{grant}` is not refresh_token"),
                )));
            }
            // Exactly the variable <RefreshToken> names, this default without it (§1.2).
            let source = view.refresh_token.as_ref();
            let source = source.map_or("request.formparam.refresh_token", |v| v.value.as_str());
            let Some(token) = read(source)? else {
                return Ok(Outcome::Fault(fault(
                    "FailedToResolveRefreshToken",
                    format!("no refresh token: `{source}` is not set"),
                )));
            };
            let client = match basic_id {
                Some(c) => Some(c),
                None => read("request.formparam.client_id")?,
            };
            let reuse = view
                .reuse_refresh_token
                .as_ref()
                .is_some_and(|v| v.value.eq_ignore_ascii_case("true"));
            match store.refresh(
                &token,
                client.as_deref(),
                reuse,
                lifetime(&view.expires_in),
                lifetime(&view.refresh_token_expires_in),
            ) {
                Ok((i, events)) => {
                    report.tokens.extend(events);
                    set_token_variables(state, &prefix("oauthv2accesstoken"), store, i);
                    Outcome::Ok
                }
                Err(f) => {
                    // RFC 9700 §4.14.2 revokes the active refresh token when an exchanged one
                    // comes back; Apigee documents no such reuse detection (§1.3 ○).
                    if store
                        .by_refresh(&token)
                        .is_some_and(|i| store.tokens[i].refresh_status == Status::Rotated)
                    {
                        report.notes.push("a refresh token that was already exchanged came back: whether Apigee then revokes the tokens that replaced it is not documented; they stay valid here".to_owned());
                    }
                    Outcome::Fault(f)
                }
            }
        }
        TokenAction::VerifiesAccessToken => {
            let token = match &view.access_token {
                Some(v) => read(&v.value)?,
                None => {
                    let bearer = view.access_token_prefix.as_ref();
                    let bearer = bearer.map_or("Bearer", |v| v.value.as_str());
                    read("request.header.Authorization")?
                        .and_then(|h| h.strip_prefix(&format!("{bearer} ")).map(str::to_owned))
                }
            };
            let Some(token) = token else {
                return Ok(Outcome::Fault(fault(
                    "invalid_access_token",
                    "no access token in the request",
                )));
            };
            match store.verify(&token) {
                Ok(i) => {
                    report
                        .tokens
                        .push(event("verified", "access token", &token, ""));
                    // What the store does not hold (developer, product, times) stays unknown.
                    for name in VERIFIED_TOKEN_VARIABLES {
                        state.forget(name);
                    }
                    let record = &store.tokens[i];
                    state.set_text("client_id", record.client_id.clone());
                    state.set_text("access_token", record.access_token.clone());
                    state.set_text("scope", record.scope.clone());
                    state.set_text("grant_type", record.grant_type.clone());
                    if view.scope.is_some() {
                        report.notes.push("the <Scope> check is not simulated (whether any or all listed scopes are required is not settled): assumed to pass".to_owned());
                    }
                    Outcome::Ok
                }
                Err(f) => {
                    report
                        .tokens
                        .push(event("rejected", "access token", &token, &f.cause));
                    // Revocation reaches Apigee's token cache only within 180 s (✔ §1.2).
                    if store
                        .by_access(&token)
                        .is_some_and(|i| store.tokens[i].access_status == Status::Revoked)
                    {
                        report.notes.push("Apigee caches tokens for up to 180 s: until then a verification after the revocation may still pass".to_owned());
                    }
                    Outcome::Fault(f)
                }
            }
        }
        TokenAction::RevokesTokens | TokenAction::ReapprovesTokens => {
            let approve = action == TokenAction::ReapprovesTokens;
            for token in &view.tokens {
                let refresh = token
                    .token_type
                    .as_ref()
                    .is_some_and(|t| t.value == "refreshtoken");
                let cascade = token.cascade.as_ref().is_some_and(|c| c.value == "true");
                let value = match &token.variable {
                    Some(v) => read(&v.value)?,
                    None => None,
                };
                let Some(value) = value else {
                    return Ok(Outcome::Fault(fault(
                        "TokenValueRequired",
                        "the token variable is not set",
                    )));
                };
                match store.set_status(&value, refresh, cascade, approve) {
                    Ok(events) => report.tokens.extend(events),
                    Err(f) => return Ok(Outcome::Fault(f)),
                }
                report.notes.extend(cascade_note(known, refresh, cascade));
            }
            Outcome::Ok
        }
    })
}

fn get_info(
    world: World,
    store: &mut TokenStore,
    policy: &Policy,
    view: &TokenInfoView,
    state: &mut State,
    report: &mut Report,
) -> Outcome {
    if let Some(source) = &view.refresh_token {
        let looked_up = looked_up(
            world,
            state,
            policy,
            source,
            ("refresh token", "invalid_refresh_token"),
        );
        let token = match looked_up {
            Ok(token) => token,
            Err(outcome) => return outcome,
        };
        let Some(i) = store.by_refresh(&token) else {
            return Outcome::Fault(fault(
                "invalid_refresh_token",
                format!("unknown refresh token `{token}`"),
            ));
        };
        let record = store.tokens[i].clone();
        if record.refresh_expires_at.is_some_and(|at| store.now >= at) {
            return Outcome::Fault(fault(
                "refresh_token_expired",
                format!("refresh token `{token}` has expired"),
            ));
        }
        // Returned regardless of status (✔ GetOAuthV2Info): a revoked token still reads as found.
        let status = match record.refresh_status {
            Status::Approved => "approved",
            Status::Revoked => "revoked",
            Status::Rotated => "rotated",
        };
        let prefix = format!("oauthv2refreshtoken.{}.", policy.name);
        state.set_text(format!("{prefix}refresh_token_status"), status);
        state.set_text(format!("{prefix}client_id"), record.client_id.clone());
        state.set_text(
            format!("{prefix}refresh_count"),
            record.refresh_count.to_string(),
        );
        state.forget(&prefix);
        report.tokens.push(event(
            "read",
            "refresh token",
            &token,
            &format!("status {status}, nothing changed"),
        ));
        return Outcome::Ok;
    }
    if let Some(source) = &view.access_token {
        let looked_up = looked_up(
            world,
            state,
            policy,
            source,
            ("access token", "invalid_access_token"),
        );
        let token = match looked_up {
            Ok(token) => token,
            Err(outcome) => return outcome,
        };
        let ignore_status = view
            .ignore_access_token_status
            .as_ref()
            .is_some_and(|v| v.value == "true");
        let found = if ignore_status {
            store.by_access(&token).ok_or_else(|| {
                fault(
                    "invalid_access_token",
                    format!("unknown access token `{token}`"),
                )
            })
        } else {
            store.verify(&token)
        };
        return match found {
            Ok(i) => {
                let prefix = format!("oauthv2accesstoken.{}.", policy.name);
                state.set_text(
                    format!("{prefix}client_id"),
                    store.tokens[i].client_id.clone(),
                );
                state.forget(&prefix);
                report
                    .tokens
                    .push(event("read", "access token", &token, "nothing changed"));
                Outcome::Ok
            }
            Err(f) => Outcome::Fault(f),
        };
    }
    for prefix in catalog::outcome_variable_prefixes(policy) {
        state.forget(&prefix);
    }
    report.notes.push(format!(
        "`{}` looks up an authorization code or a client: not simulated",
        policy.name
    ));
    Outcome::Ok
}

/// The token a GetOAuthV2Info looks up; `Err` with the outcome when it is not set (the fault
/// given with what it is) or cannot be known.
fn looked_up(
    world: World,
    state: &mut State,
    policy: &Policy,
    source: &ValueSource,
    (what, unset): (&str, &str),
) -> Result<String, Outcome> {
    match resolve_source(world, state, source) {
        Ok(Some(token)) => Ok(token),
        Ok(None) => Err(Outcome::Fault(fault(
            unset,
            format!("no {what}: {} is not set", named(source)),
        ))),
        Err(Unknowable(v)) => Err(unknown_outcome(policy, state, &v)),
    }
}

/// Only revoking an access token with cascade="true" is settled (✔: its refresh token goes
/// too); what the other `Tokens/Token` cells do to the related token is not (reference §1.2 ○).
fn cascade_note(operation: OAuthOperation, refresh: bool, cascade: bool) -> Option<String> {
    let revokes = operation.action() == TokenAction::RevokesTokens;
    let done = if revokes { "revoked" } else { "re-approved" };
    let op = operation.name();
    match (refresh, cascade) {
        (false, true) if revokes => None,
        (false, true) => Some(format!(
            "{op} with cascade on an access token: whether its refresh token is {done} too is not settled; both were {done}"
        )),
        (false, false) => Some(format!(
            "{op} without cascade on an access token: whether its refresh token is {done} too is not settled; only the access token was {done}"
        )),
        (true, _) => Some(format!(
            "{op} on a refresh token: whether its access token is {done} too is not settled; only the refresh token was {done}"
        )),
    }
}

fn event(action: &'static str, kind: &'static str, token: &str, detail: &str) -> TokenEvent {
    TokenEvent {
        action,
        kind,
        token: token.to_owned(),
        detail: detail.to_owned(),
    }
}

/// A variable whose value the simulation cannot know (a policy it does not simulate may have
/// set it).
pub struct Unknowable(String);

/// The text of a variable in a concrete run: `None` when it is null.
fn resolve(world: World, state: &State, name: &str) -> Result<Option<String>, Unknowable> {
    match state.lookup(world, name) {
        Lookup::Known(Value::Null) => Ok(None),
        Lookup::Unknown | Lookup::Other => Err(Unknowable(name.to_owned())),
        Lookup::Known(_) => Ok(text(world, state, Some(name))),
    }
}

/// A policy element's value, `ref=` first and its text as the fallback, as [`resolve`] reads it.
fn resolve_source(
    world: World,
    state: &State,
    source: &ValueSource,
) -> Result<Option<String>, Unknowable> {
    let literal = || source.literal.as_ref().map(|l| l.value.clone());
    match &source.reference {
        Some(r) => Ok(resolve(world, state, &r.value)?.or_else(literal)),
        None => Ok(literal()),
    }
}

/// How a trace names the variable a policy element reads.
fn named(source: &ValueSource) -> String {
    source
        .reference
        .as_ref()
        .map_or("its element".to_owned(), |r| format!("`{}`", r.value))
}

/// Why an OAuthV2 without `<Operation>` has an unknown outcome (reference §1.2, §1.6).
const NO_OPERATION: &str = "it has no <Operation>: whether Apigee deploys it and which operation \
     it then runs is not settled (SAP's copy of the OAuthV2 reference lists the deploy error \
     OperationRequired, yet deployed bundles omit the element)";

/// The outcome of a policy that reads `variable`, which the simulation cannot know: unknown, and
/// so is every variable it sets.
fn unknown_outcome(policy: &Policy, state: &mut State, variable: &str) -> Outcome {
    let why = format!("`{variable}` holds a value the simulation cannot know");
    unknown(policy, state, &why)
}

/// An outcome the simulation cannot know, and why: every variable the policy sets is unknown.
fn unknown(policy: &Policy, state: &mut State, why: &str) -> Outcome {
    for prefix in catalog::outcome_variable_prefixes(policy) {
        state.forget(&prefix);
    }
    Outcome::Unknown(why.to_owned())
}

/// The text of a variable, when known and not null.
fn text(world: World, state: &State, name: Option<&str>) -> Option<String> {
    match state.lookup(world, name?) {
        Lookup::Known(Value::Str(s)) => Some(s),
        Lookup::Known(Value::Null) | Lookup::Unknown | Lookup::Other => None,
        Lookup::Known(other) => Some(format!("{other:?}")),
    }
}

/// A policy element's value: its `ref=` variable, else its text.
fn value(world: World, state: &State, source: Option<&ValueSource>) -> Option<String> {
    let source = source?;
    source
        .reference
        .as_ref()
        .and_then(|r| text(world, state, Some(&r.value)))
        .or_else(|| source.literal.as_ref().map(|l| l.value.clone()))
}

/// A lifetime element in milliseconds (`ref=` first, the text as its fallback); `-1` and an
/// absent element leave the expiry to Apigee.
fn lifetime(world: World, state: &State, source: Option<&ValueSource>) -> Option<u64> {
    value(world, state, source).and_then(|v| v.trim().parse::<u64>().ok())
}

/// Client id and secret from an `Authorization: Basic` header.
fn basic_credentials(
    world: World,
    state: &State,
) -> Result<(Option<String>, Option<String>), Unknowable> {
    let decoded = resolve(world, state, "request.header.Authorization")?.and_then(|h| {
        h.strip_prefix("Basic ")
            .map(str::trim)
            .and_then(base64_decode)
    });
    Ok(match decoded.as_deref().and_then(|d| d.split_once(':')) {
        Some((id, secret)) => (Some(id.to_owned()), Some(secret.to_owned())),
        None => (None, None),
    })
}

fn base64_decode(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    String::from_utf8(out).ok()
}

fn set_token_variables(state: &mut State, prefix: &str, store: &TokenStore, i: usize) {
    let record = &store.tokens[i];
    state.set_text(format!("{prefix}access_token"), record.access_token.clone());
    if let Some(r) = &record.refresh_token {
        state.set_text(format!("{prefix}refresh_token"), r.clone());
    }
    state.set_text(format!("{prefix}client_id"), record.client_id.clone());
    state.forget(prefix);
}

/// AssignMessage's `<AssignVariable>`s and changes to the request's headers and parameters,
/// which later conditions may read.
fn assign_message(view: &AssignMessageView, world: World, state: &mut State) -> Outcome {
    let ignore_unresolved = view
        .ignore_unresolved_variables
        .as_ref()
        .is_some_and(|v| v.value.eq_ignore_ascii_case("true"));
    for assign in &view.assign_variables {
        let Some(name) = &assign.name else {
            continue;
        };
        let value = super::assign::assigned_value(assign, ignore_unresolved, world, state);
        state.set(name.value.clone(), value);
    }
    let to_request = view.assign_to.as_ref().is_none_or(|t| t.value == "request");
    if !to_request {
        return Outcome::Ok;
    }
    let sets_path = view
        .changes
        .iter()
        .any(|c| matches!(c.action, ChangeAction::Set | ChangeAction::Copy) && c.path.is_some());
    if sets_path {
        for name in super::paths::MESSAGE_PATH_VARIABLES {
            state.set(name, Lookup::Unknown);
        }
    }
    for change in &view.changes {
        let sections = [
            ("header", &change.headers),
            ("queryparam", &change.query_params),
            ("formparam", &change.form_params),
        ];
        for (kind, item) in sections
            .into_iter()
            .flat_map(|(k, items)| items.iter().map(move |i| (k, i)))
        {
            let Some(name) = &item.name else {
                continue;
            };
            let key = match super::inputs::Input::of(&format!("request.{kind}.{}", name.value)) {
                Some(input) => input.to_string(),
                None => continue,
            };
            let value = match (change.action, &item.value) {
                (ChangeAction::Remove, _) => Lookup::Known(Value::Null),
                (ChangeAction::Set | ChangeAction::Add, Some(v)) if !v.value.contains('{') => {
                    Lookup::Known(Value::Str(v.value.clone()))
                }
                _ => Lookup::Unknown,
            };
            state.set(key, value);
        }
    }
    Outcome::Ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::request::Request;
    use crate::parse::load::load_memory;

    /// Runs the policy `xml` once for a request with `header` and form `body` against `store`:
    /// the fault it raised, if any, and its notes.
    fn run(
        xml: &str,
        header: &str,
        body: &str,
        store: &mut TokenStore,
    ) -> (Option<String>, Vec<String>) {
        let file = (
            "p/apiproxy/policies/P.xml".to_owned(),
            Ok(xml.as_bytes().to_vec()),
        );
        let project = load_memory(vec![file]);
        let policy = &project.bundles[0].policies[0];
        let mut request = Request::parse_line("POST /").unwrap();
        request.add_header(header).unwrap();
        request
            .add_header("Content-Type: application/x-www-form-urlencoded")
            .unwrap();
        request.add_form(body);
        let world = World::Concrete(&request);
        let mut report = Report::default();
        let outcome = Runner {
            world,
            store: Some(store),
        }
        .run(policy, &mut State::new(world), &mut report);
        let fault = match outcome {
            Outcome::Fault(f) => Some(f.name),
            Outcome::Ok | Outcome::MayFault | Outcome::Unknown(_) => None,
        };
        (fault, report.notes)
    }

    /// A password-grant access token and its refresh token in `store`.
    fn tokens(store: &mut TokenStore) -> (String, String) {
        let (i, _) = store.mint(Grant {
            client_id: "app",
            grant_type: "password",
            scope: "",
            with_refresh: true,
            expires_in: None,
            refresh_expires_in: None,
        });
        let record = &store.tokens[i];
        (
            record.access_token.clone(),
            record.refresh_token.clone().unwrap(),
        )
    }

    #[test]
    fn rejecting_a_revoked_token_mentions_the_token_cache() {
        let verify = "<OAuthV2 name=\"V\"><Operation>VerifyAccessToken</Operation></OAuthV2>";
        let mut store = TokenStore::default();
        let (access, _) = tokens(&mut store);
        let bearer = format!("Authorization: Bearer {access}");
        assert_eq!(run(verify, &bearer, "", &mut store), (None, Vec::new()));
        store.set_status(&access, false, true, false).unwrap();
        let (fault, notes) = run(verify, &bearer, "", &mut store);
        assert_eq!(fault.as_deref(), Some("invalid_access_token"));
        assert!(notes[0].contains("180 s"), "{notes:?}");
    }

    #[test]
    fn replaying_an_exchanged_refresh_token_notes_the_missing_reuse_detection() {
        let refresh = "<OAuthV2 name=\"R\"><Operation>RefreshAccessToken</Operation></OAuthV2>";
        let mut store = TokenStore::default();
        let (_, first) = tokens(&mut store);
        let body = format!("grant_type=refresh_token&refresh_token={first}");
        assert_eq!(
            run(refresh, "Accept: */*", &body, &mut store),
            (None, Vec::new())
        );
        let (fault, notes) = run(refresh, "Accept: */*", &body, &mut store);
        assert!(fault.is_some());
        assert!(notes[0].contains("already exchanged"), "{notes:?}");
        let (fault, notes) = run(
            refresh,
            "Accept: */*",
            "grant_type=refresh_token&refresh_token=x",
            &mut store,
        );
        assert!(fault.is_some());
        assert_eq!(notes, Vec::<String>::new(), "an unknown token is no replay");
    }

    #[test]
    fn a_grant_type_left_out_of_supported_grant_types_faults_with_apigee_s_name() {
        let token = "<OAuthV2 name=\"T\"><Operation>GenerateAccessToken</Operation>\
            <SupportedGrantTypes><GrantType>client_credentials</GrantType></SupportedGrantTypes>\
            </OAuthV2>";
        let (fault, _) = run(
            token,
            "Authorization: Basic YXBwOnMz",
            "grant_type=password&username=u&password=p",
            &mut TokenStore::default(),
        );
        assert_eq!(fault.as_deref(), Some("UnSupportedGrantType"));
    }

    #[test]
    fn every_unsettled_cascade_cell_is_noted() {
        use OAuthOperation::{InvalidateToken, ValidateToken};
        assert_eq!(cascade_note(InvalidateToken, false, true), None);
        for (op, refresh, cascade) in [
            (InvalidateToken, false, false),
            (InvalidateToken, true, false),
            (InvalidateToken, true, true),
            (ValidateToken, false, true),
            (ValidateToken, false, false),
        ] {
            let note = cascade_note(op, refresh, cascade).unwrap();
            assert!(note.contains("not settled"), "{note}");
        }
        assert!(cascade_note(InvalidateToken, false, false)
            .unwrap()
            .ends_with("only the access token was revoked"));
    }

    #[test]
    fn decodes_basic_credentials() {
        assert_eq!(base64_decode("YWJjOnMz").as_deref(), Some("abc:s3"));
        assert_eq!(base64_decode("YWJjOnMzMw==").as_deref(), Some("abc:s33"));
        assert_eq!(base64_decode("not base64!"), None);
    }
}
