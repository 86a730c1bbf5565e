//! References between nodes, resolved once when loading ends: a Step's policy (in its bundle), a
//! FlowCallout's shared flow bundle and a LocalTargetConnection's proxy endpoint (across the
//! project's bundles), a RouteRule's TargetEndpoint (in its bundle). Each name map is built once,
//! so resolving is linear in the project.

use super::{BundleId, BundleKind, EndpointId, PolicyId, Project, RouteRuleId, StepId, Valued};
use std::collections::HashMap;

/// What a reference leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved<T> {
    Found(T),
    /// Several nodes answer to it, in model order. Apigee refuses a bundle with two policies or
    /// endpoints of one name; across bundles, two copies of one proxy were linted together.
    Ambiguous(Vec<T>),
    /// No node of the project answers to it. Across bundles, what it names may simply live
    /// outside the linted paths.
    Missing,
    /// A `{variable}` reference (or a `{{ placeholder }}` filled in at deploy time).
    Dynamic,
}

impl<T: Copy> Resolved<T> {
    fn of(mut candidates: Vec<T>) -> Resolved<T>
    where
        T: Ord,
    {
        candidates.sort();
        candidates.dedup();
        match candidates.len() {
            0 => Resolved::Missing,
            1 => Resolved::Found(candidates[0]),
            _ => Resolved::Ambiguous(candidates),
        }
    }

    /// What the engine follows: the node found, or the first of several.
    pub fn first(&self) -> Option<T> {
        match self {
            Resolved::Found(id) => Some(*id),
            Resolved::Ambiguous(ids) => ids.first().copied(),
            Resolved::Missing | Resolved::Dynamic => None,
        }
    }

    /// Every node it may lead to.
    pub fn candidates(&self) -> &[T] {
        match self {
            Resolved::Found(id) => std::slice::from_ref(id),
            Resolved::Ambiguous(ids) => ids,
            Resolved::Missing | Resolved::Dynamic => &[],
        }
    }

    /// May it lead to `id`? A name given by a variable may name anything.
    pub fn may_be(&self, id: T) -> bool
    where
        T: PartialEq,
    {
        matches!(self, Resolved::Dynamic) || self.candidates().contains(&id)
    }
}

/// The resolved references of a project, by the id of the node that refers; `None` where the
/// node names nothing (a Step without a name, a RouteRule without a TargetEndpoint, a policy that
/// is no FlowCallout, a TargetEndpoint without a LocalTargetConnection).
#[derive(Default)]
pub struct References {
    steps: Vec<Option<Resolved<PolicyId>>>,
    callouts: Vec<Option<Resolved<BundleId>>>,
    routes: Vec<Option<Resolved<EndpointId>>>,
    chains: Vec<Option<Resolved<EndpointId>>>,
    /// By policy: the Steps that name it.
    attachments: Vec<Vec<StepId>>,
    /// By bundle: its policies by name.
    policy_names: Vec<HashMap<String, Vec<PolicyId>>>,
}

fn named<K: std::hash::Hash + Eq, T>(pairs: impl Iterator<Item = (K, T)>) -> HashMap<K, Vec<T>> {
    let mut map: HashMap<K, Vec<T>> = HashMap::new();
    for (key, value) in pairs {
        map.entry(key).or_default().push(value);
    }
    map
}

/// `Dynamic` for a variable reference, else what `find` gives for the name.
fn resolve<T: Copy + Ord>(name: &Valued, find: impl FnOnce(&str) -> Vec<T>) -> Resolved<T> {
    if name.is_dynamic() {
        Resolved::Dynamic
    } else {
        Resolved::of(find(&name.value))
    }
}

impl References {
    fn of(project: &Project) -> References {
        let bundles = &project.bundles;
        let of_kind = |kind| bundles.iter().filter(move |b| b.kind == kind);
        let shared_flow_bundles = named(of_kind(BundleKind::SharedFlow).map(|b| (&*b.name, b.id)));
        let proxies = named(of_kind(BundleKind::ApiProxy).map(|b| (&*b.name, b.id)));
        let base_paths = named(of_kind(BundleKind::ApiProxy).flat_map(|b| {
            b.proxy_endpoints
                .iter()
                .filter_map(|e| Some((&*e.base_path()?.value, e.id)))
        }));
        let mut refs = References {
            steps: vec![None; project.step_ids().count()],
            callouts: vec![None; project.policy_ids().count()],
            routes: vec![None; project.route_rule_ids().count()],
            chains: vec![None; project.endpoint_ids().count()],
            attachments: vec![Vec::new(); project.policy_ids().count()],
            policy_names: bundles
                .iter()
                .map(|b| named(b.policies.iter().map(|p| (p.name.clone(), p.id))))
                .collect(),
        };
        for bundle in bundles {
            let policies = &refs.policy_names[bundle.id.index()];
            let targets = named(bundle.target_endpoints.iter().map(|t| (&*t.name, t.id)));
            for step in bundle.all_steps().filter(|s| !s.name.is_empty()) {
                let found = Resolved::of(policies.get(&step.name).cloned().unwrap_or_default());
                for policy in found.candidates() {
                    refs.attachments[policy.index()].push(step.id);
                }
                refs.steps[step.id.index()] = Some(found);
            }
            for policy in &bundle.policies {
                let name = policy
                    .flow_callout()
                    .and_then(|c| c.shared_flow_bundle.as_ref());
                refs.callouts[policy.id.index()] = name.map(|name| {
                    resolve(name, |n| {
                        shared_flow_bundles.get(n).cloned().unwrap_or_default()
                    })
                });
            }
            for rule in bundle.proxy_endpoints.iter().flat_map(|e| &e.route_rules) {
                refs.routes[rule.id.index()] = rule
                    .target_endpoint
                    .as_ref()
                    .map(|name| resolve(name, |n| targets.get(n).cloned().unwrap_or_default()));
            }
            for target in &bundle.target_endpoints {
                let Some(local) = &target.local else {
                    continue;
                };
                // As the engine chains: the proxy by name (and endpoint, when named), or the
                // endpoint serving the path as its base path.
                let by_name = local.api_proxy.as_ref().map(|proxy| {
                    resolve(proxy, |n| {
                        let bundles = proxies.get(n).into_iter().flatten();
                        let endpoints = bundles.flat_map(|&b| &project.bundle(b).proxy_endpoints);
                        let wanted = local.proxy_endpoint.as_ref();
                        endpoints
                            .filter(|e| wanted.is_none_or(|w| w.value == e.name))
                            .map(|e| e.id)
                            .collect()
                    })
                });
                let by_path = local
                    .path
                    .as_ref()
                    .map(|path| resolve(path, |p| base_paths.get(p).cloned().unwrap_or_default()));
                refs.chains[target.id.index()] = match (by_name, by_path) {
                    (Some(Resolved::Dynamic), _) | (_, Some(Resolved::Dynamic)) => {
                        Some(Resolved::Dynamic)
                    }
                    (Some(a), Some(b)) => Some(Resolved::of(
                        a.candidates()
                            .iter()
                            .chain(b.candidates())
                            .copied()
                            .collect(),
                    )),
                    (a, b) => a.or(b),
                };
            }
        }
        refs
    }
}

impl Project {
    /// Resolves every reference of the project, once its bundles are loaded.
    pub fn resolve_references(&mut self) {
        self.references = References::of(self);
    }

    /// The policy a Step names, in the Step's bundle.
    pub fn step_policy(&self, step: StepId) -> Option<&Resolved<PolicyId>> {
        self.references.steps.get(step.index())?.as_ref()
    }

    /// The shared flow bundle a FlowCallout names (whether or not the policy is enabled).
    pub fn callout_bundle(&self, policy: PolicyId) -> Option<&Resolved<BundleId>> {
        self.references.callouts.get(policy.index())?.as_ref()
    }

    /// The TargetEndpoint a RouteRule names, in its bundle.
    pub fn route_target(&self, rule: RouteRuleId) -> Option<&Resolved<EndpointId>> {
        self.references.routes.get(rule.index())?.as_ref()
    }

    /// The ProxyEndpoint a TargetEndpoint's LocalTargetConnection chains to.
    pub fn chained_endpoint(&self, target: EndpointId) -> Option<&Resolved<EndpointId>> {
        self.references.chains.get(target.index())?.as_ref()
    }

    /// The Steps that name the policy, in model order.
    pub fn attachments_of(&self, policy: PolicyId) -> &[StepId] {
        self.references
            .attachments
            .get(policy.index())
            .map_or(&[], Vec::as_slice)
    }

    /// The bundle's policies of that name (more than one when the bundle repeats a name).
    pub fn policies_named(&self, bundle: BundleId, name: &str) -> &[PolicyId] {
        self.references
            .policy_names
            .get(bundle.index())
            .and_then(|names| names.get(name))
            .map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::project_of;
    use crate::model::EndpointRef;

    const PROXY: &str = r#"<ProxyEndpoint name="default">
  <PreFlow><Request>
    <Step><Name>P</Name></Step>
    <Step><Name>Nope</Name></Step>
    <Step><Name>D</Name></Step>
    <Step><Condition>x</Condition></Step>
    <Step><Name>P</Name></Step>
  </Request></PreFlow>
  <RouteRule name="a"><TargetEndpoint>t</TargetEndpoint></RouteRule>
  <RouteRule name="b"><TargetEndpoint>zzz</TargetEndpoint></RouteRule>
  <RouteRule name="null"/>
</ProxyEndpoint>"#;

    fn project() -> Project {
        let local = |inner: &str, name: &str| {
            format!("<TargetEndpoint name=\"{name}\"><LocalTargetConnection>{inner}</LocalTargetConnection></TargetEndpoint>")
        };
        let callout = |name: &str, bundle: &str| {
            format!("<FlowCallout name=\"{name}\"><SharedFlowBundle>{bundle}</SharedFlowBundle></FlowCallout>")
        };
        let endpoint = |name: &str, base: &str| {
            format!("<ProxyEndpoint name=\"{name}\"><HTTPProxyConnection><BasePath>{base}</BasePath></HTTPProxyConnection></ProxyEndpoint>")
        };
        let files = [
            ("a/apiproxy/proxies/default.xml", PROXY.to_owned()),
            ("a/apiproxy/policies/P.xml", "<AssignMessage name=\"P\"/>".into()),
            ("a/apiproxy/policies/D1.xml", "<AssignMessage name=\"D\"/>".into()),
            ("a/apiproxy/policies/D2.xml", "<RaiseFault name=\"D\"/>".into()),
            ("a/apiproxy/policies/FC1.xml", callout("FC1", "sf")),
            ("a/apiproxy/policies/FC2.xml", callout("FC2", "{flow.name}")),
            ("a/apiproxy/policies/FC3.xml", callout("FC3", "nosuch")),
            ("a/apiproxy/policies/FC4.xml", callout("FC4", "dup")),
            ("a/apiproxy/targets/t.xml", local("<APIProxy>b</APIProxy><ProxyEndpoint>default</ProxyEndpoint>", "t")),
            ("a/apiproxy/targets/u.xml", local("<Path>/b/other</Path>", "u")),
            ("a/apiproxy/targets/v.xml", local("<APIProxy>c</APIProxy><ProxyEndpoint>default</ProxyEndpoint>", "v")),
            ("a/apiproxy/targets/w.xml", local("<APIProxy>b</APIProxy>", "w")),
            ("a/apiproxy/targets/x.xml", local("<APIProxy>{{ PROXY }}</APIProxy>", "x")),
            ("a/apiproxy/targets/y.xml", "<TargetEndpoint name=\"y\"><HTTPTargetConnection><URL>https://y</URL></HTTPTargetConnection></TargetEndpoint>".into()),
            ("b/apiproxy/proxies/default.xml", endpoint("default", "/b")),
            ("b/apiproxy/proxies/other.xml", endpoint("other", "/b/other")),
            ("sf/sharedflowbundle/sharedflows/default.xml", "<SharedFlow name=\"default\"/>".into()),
            ("dup/sharedflowbundle/sharedflows/default.xml", "<SharedFlow name=\"default\"/>".into()),
            ("copy/sharedflowbundle/dup.xml", "<SharedFlowBundle name=\"dup\"/>".into()),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        project_of(&files)
    }

    fn endpoint_name(project: &Project, id: EndpointId) -> String {
        let bundle = &project.bundle(project.endpoint_bundle(id)).name;
        match project.endpoint(id) {
            EndpointRef::Proxy(e) => format!("{bundle}/{}", e.name),
            EndpointRef::Target(e) => format!("{bundle}/{}", e.name),
            EndpointRef::SharedFlow(e) => format!("{bundle}/{}", e.name),
        }
    }

    fn names<T: Copy>(resolved: Option<&Resolved<T>>, name: impl Fn(T) -> String) -> String {
        match resolved {
            None => "-".into(),
            Some(Resolved::Missing) => "missing".into(),
            Some(Resolved::Dynamic) => "dynamic".into(),
            Some(r) => {
                let all: Vec<String> = r.candidates().iter().map(|&id| name(id)).collect();
                all.join(" ")
            }
        }
    }

    #[test]
    fn steps_find_their_policies_in_their_bundle() {
        let project = project();
        let a = &project.bundles[0];
        let policy_file = |id: PolicyId| {
            let file = project.policy(id).name_span.file;
            project
                .sources
                .path(file)
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        };
        let found: Vec<String> = a
            .all_steps()
            .map(|s| names(project.step_policy(s.id), policy_file))
            .collect();
        assert_eq!(found, ["P.xml", "missing", "D1.xml D2.xml", "-", "P.xml"]);
        let p = project.policies_named(a.id, "P")[0];
        let steps: Vec<StepId> = a.all_steps().map(|s| s.id).collect();
        assert_eq!(project.attachments_of(p), [steps[0], steps[4]]);
        assert_eq!(project.policies_named(a.id, "D").len(), 2);
        assert!(project.policies_named(a.id, "Nope").is_empty());
        let d = project.step_policy(steps[2]).unwrap();
        assert_eq!(d.first(), Some(project.policies_named(a.id, "D")[0]));
    }

    #[test]
    fn callouts_routes_and_chains_across_bundles() {
        let project = project();
        let a = &project.bundles[0];
        let bundle_name = |id: BundleId| project.bundle(id).dir.clone();
        let callouts: Vec<String> = a
            .policies
            .iter()
            .map(|p| names(project.callout_bundle(p.id), bundle_name))
            .collect();
        // D1, D2, FC1…FC4, P.
        assert_eq!(
            callouts,
            [
                "-",
                "-",
                "sf/sharedflowbundle",
                "dynamic",
                "missing",
                "copy/sharedflowbundle dup/sharedflowbundle",
                "-"
            ]
        );
        let endpoint = |id| endpoint_name(&project, id);
        let routes: Vec<String> = a.proxy_endpoints[0]
            .route_rules
            .iter()
            .map(|r| names(project.route_target(r.id), endpoint))
            .collect();
        assert_eq!(routes, ["a/t", "missing", "-"]);
        let chains: Vec<String> = a
            .target_endpoints
            .iter()
            .map(|t| names(project.chained_endpoint(t.id), endpoint))
            .collect();
        assert_eq!(
            chains,
            [
                "b/default",
                "b/other",
                "missing",
                "b/default b/other",
                "dynamic",
                "-"
            ]
        );
    }
}
