//! How policies are conventionally named: the prefix that says a policy's kind (`AM-` for an
//! AssignMessage, `EV-` for an ExtractVariables), kept once and by kind. It is a convention of
//! teams and tools, not a rule of Apigee's: Apigee takes any name. The table is apigeelint
//! 2.85.1's (`lib/package/plugins/policyMetaData.json`, the `indications` of each kind, which
//! its PO007 checks), lower-cased; `policy-name-without-kind-prefix` reads it, and a team's
//! own prefixes replace it kind by kind.

use super::PolicyKind;

/// The names that say a kind, in lower case: a name says it when the part before its first `-`
/// or `.` is one of `prefixes` (`AM-Set-Header`, `am.set`), or when the whole name is one of
/// `names` (`CORS`, `Quota`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Naming {
    pub prefixes: &'static [&'static str],
    pub names: &'static [&'static str],
}

const fn n(prefixes: &'static [&'static str], names: &'static [&'static str]) -> Naming {
    Naming { prefixes, names }
}

impl PolicyKind {
    /// The prefixes and whole names that say this kind. apigeelint keys its table by the root
    /// element as written, so its `ConcurrentRateLimit` never meets Edge's
    /// `<ConcurrentRatelimit>`: the prefix is taken here as meant. Its `oasValidation`, which
    /// its lower-cased comparison can never match, is lower-cased here.
    pub fn naming(self) -> Naming {
        use PolicyKind::*;
        match self {
            AccessControl => n(&["accesscontrol", "ac", "accessc"], &[]),
            AccessEntity => n(&["accessentity", "ae", "accesse"], &[]),
            AssertCondition => n(&["assertcondition", "ac", "assert"], &[]),
            AssignMessage => n(
                &[
                    "assign",
                    "build",
                    "am",
                    "assignmessage",
                    "set",
                    "response",
                    "send",
                    "add",
                ],
                &[],
            ),
            BasicAuthentication => n(&["encode", "decode", "basicauth", "ba", "auth"], &[]),
            CORS => n(&["cors"], &["cors"]),
            ConcurrentRatelimit => n(&["ccr"], &[]),
            DataCapture => n(&["datacapture", "dc"], &["datacapture", "dc"]),
            DecodeJWS => n(&["decodejws", "jws"], &["decodejws"]),
            DecodeJWT => n(&["decodejwt", "jwt"], &["decodejwt"]),
            DeleteOAuthV1Info => n(&["oauthv1", "oauth"], &[]),
            DeleteOAuthV2Info => n(&["oauthv2", "oauth"], &[]),
            ExternalCallout => n(
                &["externalcallout", "ec", "extc", "external"],
                &["externalcallout"],
            ),
            ExtractVariables => n(&["extractvariables", "extract", "ev", "vars"], &[]),
            FlowCallout => n(&["flowcallout", "flow", "fc"], &[]),
            GenerateJWS => n(&["generatejws", "jws", "gjws"], &["generatejws"]),
            GenerateJWT => n(&["generatejwt", "jwt", "gjwt"], &["generatejwt"]),
            GenerateSAMLAssertion => n(&["generatesaml", "saml", "sa"], &[]),
            GetOAuthV1Info => n(&["oauth", "oauthv1", "getoauth", "getoa"], &[]),
            GetOAuthV2Info => n(
                &[
                    "oauth",
                    "oauthv2",
                    "oauthv2info",
                    "oauthinfo",
                    "oai",
                    "accesstoken",
                ],
                &[],
            ),
            GraphQL => n(&["graphql", "gq", "gql"], &["graphql"]),
            HMAC => n(&["hmac"], &["hmac"]),
            HTTPModifier => n(&["httpmodifier", "httpm", "mod"], &["http"]),
            IntegrationCallout => n(
                &["integrationcallout", "int", "integration", "ic", "callout"],
                &["integrationcallout"],
            ),
            InvalidateCache => n(&["invalidatecache", "invalidate", "ic", "cache"], &[]),
            JSONThreatProtection => n(&["jsonthreat", "threat", "jtp", "jsontp", "tp"], &[]),
            JSONToXML => n(&["jsontoxml", "j2x", "jtox"], &["jsontoxml"]),
            JavaCallout => n(&["javacallout", "java", "javac"], &["javacallout", "java"]),
            Javascript => n(&["jsc", "js", "javascript"], &[]),
            KeyValueMapOperations => n(&["keyvaluemapoperations", "kv", "kvm", "kvmops"], &[]),
            LLMTokenQuota => n(
                &["llmq", "ltq", "llmtokenquota", "llmquota", "quota"],
                &["llm"],
            ),
            LookupCache => n(&["lookup", "lu", "lucache", "cache", "lc"], &[]),
            MessageLogging => n(&["messagelogging", "logging", "ml"], &[]),
            MessageValidation => n(&["messagevalidation", "mv", "messval"], &[]),
            MonetizationLimitsCheck => n(
                &[
                    "monetizationlimitscheck",
                    "monetizationcheck",
                    "mcheck",
                    "mc",
                ],
                &["monetizationlimitscheck"],
            ),
            OASValidation => n(&["oas", "oasvalidation"], &["oas"]),
            OAuthV1 => n(&["oauthv1", "oauth", "oa", "accesstoken", "verify"], &[]),
            OAuthV2 => n(&["oauthv2", "oauth", "oa", "accesstoken", "verify"], &[]),
            ParseDialogflowRequest => n(
                &["parsedialogflowrequest", "dialogflow", "pdfr"],
                &["parsedialogflowrequest"],
            ),
            PopulateCache => n(&["populate", "pop", "populatecache", "pc", "cache"], &[]),
            PublishMessage => n(&["publishmessage", "pm", "publish"], &["publishmessage"]),
            Quota => n(&["quota", "q"], &["q", "quota"]),
            RaiseFault => n(&["raisefault", "rf", "raise", "fault"], &[]),
            RegularExpressionProtection => n(&["regex", "regextp", "re", "tp"], &[]),
            ResetQuota => n(&["resetquota", "rq"], &["resetquota"]),
            ResponseCache => n(&["responsecache", "rc", "cache"], &["responsecache"]),
            RevokeOAuthV2 => n(&["oauthv2", "oauthrevoke", "oar", "accesstoken"], &[]),
            SanitizeModelResponse => n(
                &["sanitizemodelresponse", "sanitize", "smr"],
                &["sanitizemodelresponse"],
            ),
            SanitizeUserPrompt => n(
                &["sanitizeuserprompt", "sanitize", "sup"],
                &["sanitizeuserprompt"],
            ),
            Script => n(&["script", "scr"], &[]),
            SemanticCacheLookup => n(
                &["semanticcachelookup", "semantic", "cache", "scl"],
                &["semanticcachelookup"],
            ),
            SemanticCachePopulate => n(
                &["semanticcachepopulate", "semantic", "cache", "scp"],
                &["semanticcachepopulate"],
            ),
            ServiceCallout => n(&["callout", "sc"], &[]),
            SetDialogflowResponse => n(
                &["setdialogflowresponse", "dialogflow", "sdfr"],
                &["setdialogflowresponse"],
            ),
            SetIntegrationRequest => n(
                &["setintegrationrequest", "integration", "sir"],
                &["setintegrationrequest"],
            ),
            SetOAuthV2Info => n(
                &["oauthv2", "oauthv2info", "oauthinfo", "oai", "accesstoken"],
                &[],
            ),
            SpikeArrest => n(&["spikearrest", "spike", "sa"], &["spikearrest"]),
            StatisticsCollector => n(&["stats", "statcoll"], &[]),
            TraceCapture => n(&["tracecapture", "tc"], &["tracecapture", "tc"]),
            ValidateSAMLAssertion => n(&["validatesaml", "saml", "sa"], &[]),
            VerifyAPIKey => n(
                &["verifyapikey", "apikey", "va", "verify"],
                &["verifyapikey"],
            ),
            VerifyJWS => n(&["verifyjws", "jws", "vjws"], &["verifyjws"]),
            VerifyJWT => n(&["verifyjwt", "jwt", "vjwt"], &["verifyjwt"]),
            XMLThreatProtection => n(&["xmltp", "xtp", "tp"], &["xmltp"]),
            XMLToJSON => n(&["xmltojson", "x2j", "xtoj"], &["xmltojson"]),
            XSL => n(&["xsl"], &["xsl"]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::kinds;

    /// Every prefix and whole name is lower case, letters and digits, as names are compared.
    #[test]
    fn prefixes_are_lower_case_words() {
        for kind in kinds().iter().filter_map(|k| k.policy) {
            let naming = kind.naming();
            for word in naming.prefixes.iter().chain(naming.names) {
                assert!(
                    !word.is_empty()
                        && word
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                    "{kind:?}: {word}"
                );
            }
        }
    }
}
