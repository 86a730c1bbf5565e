//! The OAuth token lifecycle of a concrete run: a simulated token store shared by the requests of
//! a scenario (apigee-oauth-reference.md §1–§2). Tokens are named `access-1`, `refresh-1`,
//! `code-1`… so that traces are deterministic.

use super::scenario::App;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Approved,
    Revoked,
    /// A refresh token replaced by RefreshAccessToken (rotation).
    Rotated,
}

#[derive(Clone, Debug)]
pub struct TokenRecord {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub client_id: String,
    pub grant_type: String,
    pub scope: String,
    pub access_status: Status,
    pub refresh_status: Status,
    /// Expiry in milliseconds of simulated time; `None` when the policy leaves it to Apigee.
    pub access_expires_at: Option<u64>,
    pub refresh_expires_at: Option<u64>,
    pub refresh_count: u32,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct CodeRecord {
    pub code: String,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    pub scope: String,
    pub expires_at: Option<u64>,
    pub used: bool,
}

/// Something that happened to a token, for the trace.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TokenEvent {
    /// `issued`, `rotated`, `verified`, `rejected`, `revoked`, `read`, `consumed`, `reapproved`,
    /// `deleted`.
    pub action: &'static str,
    /// `access token`, `refresh token`, `authorization code`.
    pub kind: &'static str,
    pub token: String,
    pub detail: String,
}

/// A policy's failure: the `fault.name` Apigee would set, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub name: String,
    pub cause: String,
}

pub fn fault(name: &str, cause: impl Into<String>) -> Fault {
    Fault {
        name: name.to_owned(),
        cause: cause.into(),
    }
}

#[derive(Clone, Debug, Default)]
pub struct TokenStore {
    /// Declared developer apps; when empty, any non-empty client id and secret are accepted.
    pub apps: Vec<App>,
    pub tokens: Vec<TokenRecord>,
    pub codes: Vec<CodeRecord>,
    /// Simulated time in milliseconds.
    pub now: u64,
    counter: u32,
}

/// What a minting operation needs to know.
pub struct Grant<'a> {
    pub client_id: &'a str,
    pub grant_type: &'a str,
    pub scope: &'a str,
    pub with_refresh: bool,
    pub expires_in: Option<u64>,
    pub refresh_expires_in: Option<u64>,
}

impl TokenStore {
    fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-{}", self.counter)
    }

    fn expiry(&self, lifetime: Option<u64>) -> Option<u64> {
        lifetime.map(|ms| self.now + ms)
    }

    fn live(&self, expires_at: Option<u64>) -> bool {
        expires_at.is_none_or(|at| self.now < at)
    }

    /// Checks a client's credentials against the declared apps (`secret: None` when the
    /// operation needs only the id).
    pub fn authenticate(
        &self,
        client_id: Option<&str>,
        secret: Option<Option<&str>>,
    ) -> Result<(), Fault> {
        let id = client_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| fault("invalid_client", "no client id in the request"))?;
        if self.apps.is_empty() {
            return match secret {
                Some(None) | Some(Some("")) => {
                    Err(fault("invalid_client", "no client secret in the request"))
                }
                _ => Ok(()),
            };
        }
        let app = self
            .apps
            .iter()
            .find(|a| a.client_id == id)
            .ok_or_else(|| {
                fault(
                    "invalid_client",
                    format!("no declared app has client id `{id}`"),
                )
            })?;
        match secret {
            Some(given) if given != Some(app.client_secret.as_str()) => Err(fault(
                "invalid_client",
                format!("wrong client secret for `{id}`"),
            )),
            _ => Ok(()),
        }
    }

    pub fn issue_code(
        &mut self,
        client_id: &str,
        redirect_uri: Option<&str>,
        scope: &str,
        expires_in: Option<u64>,
    ) -> (String, TokenEvent) {
        let code = self.next("code");
        self.codes.push(CodeRecord {
            code: code.clone(),
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.map(str::to_owned),
            scope: scope.to_owned(),
            expires_at: self.expiry(expires_in),
            used: false,
        });
        let event = TokenEvent {
            action: "issued",
            kind: "authorization code",
            token: code.clone(),
            detail: format!("for client {client_id}"),
        };
        (code, event)
    }

    /// Consumes an authorization code: once only, unexpired, by the client it was issued to.
    pub fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
    ) -> Result<(String, TokenEvent), Fault> {
        let now = self.now;
        let record = self
            .codes
            .iter_mut()
            .find(|c| c.code == code)
            .ok_or_else(|| {
                fault(
                    "invalid_grant",
                    format!("unknown authorization code `{code}`"),
                )
            })?;
        if record.used {
            return Err(fault(
                "invalid_grant",
                format!("authorization code `{code}` was already used"),
            ));
        }
        if record.expires_at.is_some_and(|at| now >= at) {
            return Err(fault(
                "invalid_grant",
                format!("authorization code `{code}` has expired"),
            ));
        }
        if record.client_id != client_id {
            return Err(fault(
                "invalid_grant",
                format!("authorization code `{code}` belongs to another client"),
            ));
        }
        if record.redirect_uri.is_some() && redirect_uri != record.redirect_uri.as_deref() {
            return Err(fault(
                "invalid_grant",
                "redirect_uri differs from the authorization request",
            ));
        }
        record.used = true;
        let event = TokenEvent {
            action: "consumed",
            kind: "authorization code",
            token: code.to_owned(),
            detail: String::new(),
        };
        Ok((record.scope.clone(), event))
    }

    pub fn mint(&mut self, grant: Grant) -> (usize, Vec<TokenEvent>) {
        let access = self.next("access");
        let refresh = grant.with_refresh.then(|| self.next("refresh"));
        let mut events = vec![TokenEvent {
            action: "issued",
            kind: "access token",
            token: access.clone(),
            detail: format!("{} grant, client {}", grant.grant_type, grant.client_id),
        }];
        if let Some(r) = &refresh {
            events.push(TokenEvent {
                action: "issued",
                kind: "refresh token",
                token: r.clone(),
                detail: format!("client {}", grant.client_id),
            });
        }
        self.tokens.push(TokenRecord {
            access_token: access,
            refresh_token: refresh,
            client_id: grant.client_id.to_owned(),
            grant_type: grant.grant_type.to_owned(),
            scope: grant.scope.to_owned(),
            access_status: Status::Approved,
            refresh_status: Status::Approved,
            access_expires_at: self.expiry(grant.expires_in),
            refresh_expires_at: self.expiry(grant.refresh_expires_in),
            refresh_count: 0,
            attributes: BTreeMap::new(),
        });
        (self.tokens.len() - 1, events)
    }

    pub fn by_refresh(&self, token: &str) -> Option<usize> {
        self.tokens
            .iter()
            .position(|t| t.refresh_token.as_deref() == Some(token))
    }

    pub fn by_access(&self, token: &str) -> Option<usize> {
        self.tokens.iter().position(|t| t.access_token == token)
    }

    /// RefreshAccessToken: a valid refresh token of the same client buys a new access token and,
    /// unless `reuse`, a new refresh token that replaces it (✔ "Getting OAuth 2.0 tokens").
    pub fn refresh(
        &mut self,
        token: &str,
        client_id: Option<&str>,
        reuse: bool,
        expires_in: Option<u64>,
        refresh_expires_in: Option<u64>,
    ) -> Result<(usize, Vec<TokenEvent>), Fault> {
        let i = self.by_refresh(token).ok_or_else(|| {
            fault(
                "invalid_refresh_token",
                format!("unknown refresh token `{token}`"),
            )
        })?;
        let old = self.tokens[i].clone();
        match old.refresh_status {
            Status::Approved => {}
            Status::Rotated => {
                return Err(fault(
                    "invalid_refresh_token",
                    format!("refresh token `{token}` was already exchanged"),
                ))
            }
            Status::Revoked => {
                return Err(fault(
                    "invalid_refresh_token",
                    format!("refresh token `{token}` was revoked"),
                ))
            }
        }
        if !self.live(old.refresh_expires_at) {
            return Err(fault(
                "refresh_token_expired",
                format!("refresh token `{token}` has expired"),
            ));
        }
        if client_id.is_some_and(|id| id != old.client_id) {
            return Err(fault(
                "invalid_refresh_token",
                format!("refresh token `{token}` belongs to another client"),
            ));
        }
        let (new, mut events) = self.mint(Grant {
            client_id: &old.client_id,
            grant_type: "refresh_token",
            scope: &old.scope,
            with_refresh: !reuse,
            expires_in,
            refresh_expires_in,
        });
        let record = &mut self.tokens[new];
        record.refresh_count = old.refresh_count + 1;
        record.attributes = old.attributes;
        if reuse {
            // The same refresh token stays valid until it expires (ReuseRefreshToken ✔).
            record.refresh_token = old.refresh_token.clone();
            record.refresh_expires_at = old.refresh_expires_at;
            self.tokens[i].refresh_token = None;
        } else {
            self.tokens[i].refresh_status = Status::Rotated;
            events.push(TokenEvent {
                action: "rotated",
                kind: "refresh token",
                token: token.to_owned(),
                detail: "no longer valid".to_owned(),
            });
        }
        Ok((new, events))
    }

    /// VerifyAccessToken: only an approved, unexpired access token passes.
    pub fn verify(&self, token: &str) -> Result<usize, Fault> {
        let i = self.by_access(token).ok_or_else(|| {
            fault(
                "invalid_access_token",
                format!("unknown access token `{token}`"),
            )
        })?;
        let record = &self.tokens[i];
        if record.access_status != Status::Approved {
            return Err(fault(
                "invalid_access_token",
                format!("access token `{token}` was revoked"),
            ));
        }
        if !self.live(record.access_expires_at) {
            return Err(fault(
                "access_token_expired",
                format!("access token `{token}` has expired"),
            ));
        }
        Ok(i)
    }

    /// InvalidateToken (`approve: false`) and ValidateToken (`approve: true`). Revoking an access
    /// token with cascade revokes its refresh token too (✔); other cascade cells are ○, so only
    /// the named token changes and the trace says so.
    pub fn set_status(
        &mut self,
        token: &str,
        refresh: bool,
        cascade: bool,
        approve: bool,
    ) -> Result<Vec<TokenEvent>, Fault> {
        let i = if refresh {
            self.by_refresh(token)
        } else {
            self.by_access(token)
        }
        .ok_or_else(|| fault("invalid_token", format!("unknown token `{token}`")))?;
        let status = if approve {
            Status::Approved
        } else {
            Status::Revoked
        };
        let action = if approve { "reapproved" } else { "revoked" };
        let record = &mut self.tokens[i];
        let mut events = Vec::new();
        let mut touch = |kind: &'static str, token: String, detail: &str| {
            events.push(TokenEvent {
                action,
                kind,
                token,
                detail: detail.to_owned(),
            })
        };
        if refresh {
            record.refresh_status = status;
            touch("refresh token", token.to_owned(), "");
        } else {
            record.access_status = status;
            touch("access token", token.to_owned(), "");
            if cascade {
                if let Some(r) = record.refresh_token.clone() {
                    record.refresh_status = status;
                    touch("refresh token", r, "by cascade");
                }
            }
        }
        Ok(events)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(with_refresh: bool) -> Grant<'static> {
        Grant {
            client_id: "app",
            grant_type: "password",
            scope: "",
            with_refresh,
            expires_in: Some(1000),
            refresh_expires_in: None,
        }
    }

    #[test]
    fn refresh_rotates_unless_reused() {
        let mut store = TokenStore::default();
        let (i, _) = store.mint(grant(true));
        let first = store.tokens[i].refresh_token.clone().unwrap();
        let (j, _) = store
            .refresh(&first, Some("app"), false, None, None)
            .unwrap();
        assert_eq!(
            store
                .refresh(&first, Some("app"), false, None, None)
                .unwrap_err()
                .name,
            "invalid_refresh_token"
        );
        let second = store.tokens[j].refresh_token.clone().unwrap();
        assert_ne!(first, second);
        let (k, _) = store
            .refresh(&second, Some("app"), true, None, None)
            .unwrap();
        assert_eq!(
            store.tokens[k].refresh_token.as_deref(),
            Some(second.as_str())
        );
        assert!(store
            .refresh(&second, Some("app"), true, None, None)
            .is_ok());
    }

    #[test]
    fn verification_checks_status_and_expiry() {
        let mut store = TokenStore::default();
        let (i, _) = store.mint(grant(true));
        let token = store.tokens[i].access_token.clone();
        assert!(store.verify(&token).is_ok());
        store.now = 1000;
        assert_eq!(
            store.verify(&token).unwrap_err().name,
            "access_token_expired"
        );
        store.now = 0;
        store.set_status(&token, false, true, false).unwrap();
        assert_eq!(
            store.verify(&token).unwrap_err().name,
            "invalid_access_token"
        );
        let refresh = store.tokens[i].refresh_token.clone().unwrap();
        assert!(
            store.refresh(&refresh, None, false, None, None).is_err(),
            "cascade revoked the refresh token"
        );
    }

    #[test]
    fn codes_are_single_use() {
        let mut store = TokenStore::default();
        let (code, _) = store.issue_code("app", Some("https://cb"), "read", None);
        assert!(store.redeem_code(&code, "app", Some("https://cb")).is_ok());
        assert_eq!(
            store
                .redeem_code(&code, "app", Some("https://cb"))
                .unwrap_err()
                .cause,
            format!("authorization code `{code}` was already used")
        );
    }

    #[test]
    fn declared_apps_are_the_only_clients() {
        let mut store = TokenStore::default();
        assert!(store.authenticate(Some("any"), Some(Some("thing"))).is_ok());
        assert!(store.authenticate(Some(""), None).is_err());
        store.apps.push(App {
            name: "web".into(),
            client_id: "abc".into(),
            client_secret: "s3".into(),
            callbacks: Vec::new(),
        });
        assert!(store.authenticate(Some("abc"), Some(Some("s3"))).is_ok());
        assert!(store.authenticate(Some("abc"), Some(Some("no"))).is_err());
        assert!(store.authenticate(Some("xyz"), None).is_err());
    }
}
