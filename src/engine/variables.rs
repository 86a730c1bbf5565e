//! Which flow variables the policies of a proxy may set.
//!
//! The answer errs towards "may": a rule that reports "nothing sets this variable" must not be
//! wrong because some policy kind names its output in an element the engine does not know.

use super::catalog::runs_code;
use super::Engine;
use crate::model::{BundleId, BundleKind, PolicyView, Resolved};
use std::collections::HashSet;

/// What the policies that can run for a bundle's requests may set.
pub enum Setters<'p> {
    /// Any name: a policy runs code, a FlowCallout calls a shared flow outside the project, a
    /// policy file could not be read, or the bundle is a shared flow (its callers, possibly in
    /// other repositories, pass it variables as FlowCallout parameters).
    Anything,
    /// At most these names: the names those policies mention (see
    /// [`crate::model::Policy::mentioned_names`]), which takes in every place a policy names a
    /// variable to set, and the full names ExtractVariables sets, `<VariablePrefix>` included.
    Names(HashSet<&'p str>),
}

impl Setters<'_> {
    pub fn may_set(&self, name: &str) -> bool {
        match self {
            Setters::Anything => true,
            Setters::Names(names) => names.contains(name),
        }
    }
}

impl<'p> Engine<'p> {
    /// What the policies of `bundle`, and of the shared flows its FlowCallouts reach, may set.
    /// Policies are counted whether or not a Step attaches them, so the answer holds for every
    /// request. Environment flow hooks are outside the project and not counted.
    pub fn setters(&self, bundle: BundleId) -> Setters<'p> {
        let project = self.project;
        if project.bundle(bundle).kind == BundleKind::SharedFlow {
            return Setters::Anything;
        }
        let mut names = HashSet::new();
        let mut seen = vec![bundle];
        let mut pending = vec![bundle];
        while let Some(id) = pending.pop() {
            let current = project.bundle(id);
            if current
                .failed_files
                .iter()
                .any(|f| f.starts_with("policies/"))
            {
                return Setters::Anything;
            }
            for policy in &current.policies {
                if runs_code(policy) {
                    return Setters::Anything;
                }
                if policy.enabled && policy.flow_callout().is_some() {
                    match project.callout_bundle(policy.id).and_then(Resolved::first) {
                        Some(callee) if !seen.contains(&callee) => {
                            seen.push(callee);
                            pending.push(callee);
                        }
                        Some(_) => {}
                        None => return Setters::Anything,
                    }
                }
                names.extend(policy.mentioned_names());
                if let PolicyView::ExtractVariables(view) = &policy.view {
                    names.extend(view.sets.iter().map(String::as_str));
                }
            }
        }
        Setters::Names(names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::load::{load_memory, MemoryFile};

    fn file(path: &str, text: &str) -> MemoryFile {
        (path.to_owned(), Ok(text.as_bytes().to_vec()))
    }

    const ENDPOINT: &str =
        "<ProxyEndpoint name=\"default\"><RouteRule name=\"r\"/></ProxyEndpoint>";

    /// May the policies of the bundle `name` set `variable`?
    fn may_set(files: Vec<MemoryFile>, name: &str, variable: &str) -> bool {
        let project = load_memory(files);
        let engine = Engine::new(&project);
        let id = project
            .bundle_ids()
            .find(|&id| project.bundle(id).name == name)
            .unwrap();
        engine.setters(id).may_set(variable)
    }

    #[test]
    fn names_come_from_texts_attributes_and_patterns_of_reached_policies() {
        let files = || {
            vec![
                file("p/apiproxy/proxies/default.xml", ENDPOINT),
                file(
                    "p/apiproxy/policies/EV.xml",
                    "<ExtractVariables name=\"EV\"><URIPath><Pattern>/{tenant}/**</Pattern>\
                     </URIPath><Variable name=\"issuer\"/></ExtractVariables>",
                ),
                file(
                    "p/apiproxy/policies/EV-Prefixed.xml",
                    "<ExtractVariables name=\"EV-Prefixed\"><VariablePrefix>ev</VariablePrefix>\
                     <QueryParam name=\"t\"><Pattern>{team}</Pattern></QueryParam><JSONPayload>\
                     <Variable name=\"sub\"><JSONPath>$.sub</JSONPath></Variable></JSONPayload>\
                     </ExtractVariables>",
                ),
                file(
                    "p/apiproxy/policies/FC.xml",
                    "<FlowCallout name=\"FC\"><SharedFlowBundle>s</SharedFlowBundle></FlowCallout>",
                ),
                file(
                    "s/sharedflowbundle/sharedflows/default.xml",
                    "<SharedFlow name=\"default\"/>",
                ),
                file(
                    "s/sharedflowbundle/policies/AM.xml",
                    "<AssignMessage name=\"AM\"><AssignVariable><Name> region </Name>\
                     </AssignVariable></AssignMessage>",
                ),
            ]
        };
        for set in ["tenant", "issuer", "region", "ev.team", "ev.sub"] {
            assert!(may_set(files(), "p", set), "{set}");
        }
        assert!(!may_set(files(), "p", "sandbox"));
        assert!(
            may_set(files(), "s", "sandbox"),
            "a shared flow's callers may pass anything"
        );
    }

    #[test]
    fn code_an_outside_shared_flow_or_an_unreadable_policy_may_set_anything() {
        let with = |policy: MemoryFile| {
            may_set(
                vec![file("p/apiproxy/proxies/default.xml", ENDPOINT), policy],
                "p",
                "sandbox",
            )
        };
        assert!(with(file(
            "p/apiproxy/policies/JS.xml",
            "<Javascript name=\"JS\"><ResourceURL>jsc://a.js</ResourceURL></Javascript>",
        )));
        assert!(with(file(
            "p/apiproxy/policies/FC.xml",
            "<FlowCallout name=\"FC\"><SharedFlowBundle>elsewhere</SharedFlowBundle></FlowCallout>",
        )));
        assert!(with(file(
            "p/apiproxy/policies/Broken.xml",
            "<AssignMessage>"
        )));
        assert!(!with(file(
            "p/apiproxy/policies/FC.xml",
            "<FlowCallout name=\"FC\" enabled=\"false\"><SharedFlowBundle>elsewhere</SharedFlowBundle></FlowCallout>",
        )));
    }
}
