//! Lowering: from the element trees of one bundle's files to the typed model.

use super::*;
use crate::parse::decode::{decode, decode_script};
use crate::parse::suppress::suppressions;
use crate::parse::xml::{self, Element, Node};
use crate::source::{FileId, TextMap};

/// One file of a bundle as read from disk, a zip or an editor buffer.
pub struct BundleFile {
    /// The path shown in findings.
    pub path: String,
    /// The path inside the bundle folder, with `/` separators (`policies/OA-Token.xml`).
    pub relative: String,
    pub bytes: Vec<u8>,
}

/// What part of a bundle a file is, from where it sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Part {
    Descriptor,
    ProxyEndpoint,
    TargetEndpoint,
    Policy,
    SharedFlow,
}

fn part_of(relative: &str) -> Option<Part> {
    let (folder, file) = relative.rsplit_once('/').unwrap_or(("", relative));
    if !file.ends_with(".xml") || is_hidden(relative) {
        return None;
    }
    match folder {
        "" => Some(Part::Descriptor),
        "proxies" => Some(Part::ProxyEndpoint),
        "targets" => Some(Part::TargetEndpoint),
        "policies" => Some(Part::Policy),
        "sharedflows" => Some(Part::SharedFlow),
        _ => None,
    }
}

/// True for the files the model is built from; everything else in a bundle is a resource.
pub fn is_model_file(relative: &str) -> bool {
    part_of(relative).is_some()
}

/// True for a file of a bundle folder that its layout has no place for: neither a file the
/// model is built from, nor a resource, nor a manifest (`manifests/*.xml`, which Apigee Edge's
/// export writes), nor an Apigee X integration endpoint (`integration-endpoints/*.xml`), nor a
/// README at the top (`*.md`). A `.bak` copy of a policy, a build tool's configuration, a hidden
/// file or a file in a hidden folder (`.gitignore`, `.idea/`), wherever it lies; but not Finder's
/// `.DS_Store` (see [`is_finder_file`]).
pub fn has_no_place(relative: &str) -> bool {
    if is_finder_file(relative) {
        return false;
    }
    if is_hidden(relative) {
        return true;
    }
    let (folder, file) = relative.rsplit_once('/').unwrap_or(("", relative));
    let documented = match folder {
        "" => file.ends_with(".md"),
        "manifests" | "integration-endpoints" => file.ends_with(".xml"),
        _ => false,
    };
    !is_model_file(relative) && !is_resource(relative) && !documented
}

/// True when a part of the path inside the bundle folder is hidden (starts with `.`).
pub fn is_hidden(relative: &str) -> bool {
    relative.split('/').any(|part| part.starts_with('.'))
}

/// macOS's Finder writes a `.DS_Store` into every folder it shows: a file no one chose to put
/// in the bundle, left out as apigeelint's BN001 leaves it out, rather than reported in every
/// folder of a bundle opened on a Mac.
pub fn is_finder_file(relative: &str) -> bool {
    relative.rsplit('/').next() == Some(".DS_Store")
}

/// The top folders of a bundle's layout: the endpoints, policies and shared flows, resources,
/// Apigee Edge's manifests and Apigee X's integration endpoints.
const LAYOUT_FOLDERS: [&str; 7] = [
    "proxies",
    "targets",
    "policies",
    "sharedflows",
    "resources",
    "manifests",
    "integration-endpoints",
];

/// The top folder of an unplaced file when the whole folder has no place in the layout (a
/// Maven `target/`, an editor's `.idea/`), so that it is reported once; `None` for a file at the
/// top or in a folder of the layout.
pub fn unplaced_folder(relative: &str) -> Option<&str> {
    let (top, _) = relative.split_once('/')?;
    (!LAYOUT_FOLDERS.contains(&top)).then_some(top)
}

/// A file of a bundle folder that its layout has no place for; only its name is kept.
#[derive(Clone, Debug)]
pub struct UnplacedFile {
    /// The path inside the bundle folder (`policies/SimpleJavaCallout.xml.bak`).
    pub relative: String,
    /// The file in the source database, its text empty, to point a finding at.
    pub file: FileId,
}

impl UnplacedFile {
    pub fn span(&self) -> Span {
        Span::new(self.file, 0..0)
    }
}

/// What reading one bundle adds to the project beside the bundle: its files' texts, outlines,
/// problems and suppression comments. It is built apart from the project (on a thread
/// of its own), its file ids starting where the project's will be when it takes it
/// ([`Project::absorb`]).
pub struct Loaded {
    pub sources: SourceDb,
    outlines: Vec<(FileId, Outline)>,
    pub problems: Vec<LoadProblem>,
    suppressions: Vec<Suppression>,
    files_read: usize,
}

impl Loaded {
    /// Nothing read yet; the first file added will have the id `first` in the project.
    pub fn starting_at(first: FileId) -> Loaded {
        Loaded {
            sources: SourceDb::starting_at(first),
            outlines: Vec::new(),
            problems: Vec::new(),
            suppressions: Vec::new(),
            files_read: 0,
        }
    }

    /// A file that could not be read, reported at its start.
    pub fn problem(&mut self, kind: ProblemKind, path: String, message: String) {
        let id = self.sources.add(path, String::new());
        self.problems.push(LoadProblem {
            kind,
            message,
            span: Span::new(id, 0..0),
        });
    }
}

impl Project {
    /// The id the next file read into the project will have.
    pub fn next_file(&self) -> FileId {
        self.sources.next_id()
    }

    /// Takes what was read apart, [`Loaded::starting_at`] the project's next file id.
    pub fn absorb(&mut self, loaded: Loaded) {
        self.sources.append(loaded.sources);
        for (id, outline) in loaded.outlines {
            self.outlines.insert(id, outline);
        }
        self.problems.extend(loaded.problems);
        self.suppressions.extend(loaded.suppressions);
        self.files_read += loaded.files_read;
    }
}

/// Lowers one bundle's files. Its nodes' ids are given when the project takes it
/// ([`Project::push_bundle`]).
pub fn build_bundle(
    kind: BundleKind,
    dir: String,
    fallback_name: String,
    mut files: Vec<BundleFile>,
    mut resources: Vec<ResourceFile>,
    mut unplaced: Vec<(String, String)>,
    project: &mut Loaded,
) -> Bundle {
    files.sort_by(|a, b| a.relative.cmp(&b.relative));
    resources.sort_by(|a, b| a.relative.cmp(&b.relative));
    let mut bundle = Bundle {
        id: BundleId::default(),
        kind,
        name: fallback_name,
        dir,
        descriptor: None,
        proxy_endpoints: Vec::new(),
        target_endpoints: Vec::new(),
        shared_flows: Vec::new(),
        policies: Vec::new(),
        resources: Vec::new(),
        failed_files: Vec::new(),
        unplaced_files: Vec::new(),
    };
    unplaced.sort_by(|a, b| a.1.cmp(&b.1));
    bundle.unplaced_files = unplaced
        .into_iter()
        .map(|(path, relative)| UnplacedFile {
            relative,
            file: project.sources.add(path, String::new()),
        })
        .collect();
    for file in files {
        let Some(part) = part_of(&file.relative) else {
            continue;
        };
        let relative = file.relative.clone();
        let Some(root) = read(project, file) else {
            bundle.failed_files.push(relative);
            continue;
        };
        match part {
            Part::Descriptor => {
                if bundle.descriptor.is_none() {
                    bundle.descriptor = Descriptor::of(&root);
                    if let Some(name) = bundle.descriptor.as_ref().and_then(|d| d.name.as_ref()) {
                        bundle.name = name.value.clone();
                    }
                }
            }
            Part::ProxyEndpoint => bundle.proxy_endpoints.push(proxy_endpoint(&root)),
            Part::TargetEndpoint => bundle.target_endpoints.push(target_endpoint(&root)),
            Part::SharedFlow => bundle.shared_flows.push(shared_flow(&root)),
            Part::Policy => bundle.policies.push(policy(&root)),
        }
    }
    bundle.resources = resources
        .into_iter()
        .map(|file| resource(project, file))
        .collect();
    // Pushed one by one, the lists have room to spare (four endpoints of 1 kB where there is one).
    bundle.proxy_endpoints.shrink_to_fit();
    bundle.target_endpoints.shrink_to_fit();
    bundle.shared_flows.shrink_to_fit();
    bundle.policies.shrink_to_fit();
    bundle
}

/// A resource as listed: its text stays empty until a rule asks for the content. A script of
/// `resources/jsc/` is read now, its text kept for the findings' snippets.
fn resource(project: &mut Loaded, file: ResourceFile) -> Resource {
    if kind_and_name(&file.relative).0 != ResourceKind::Jsc {
        let id = project.sources.add(file.path.clone(), String::new());
        return Resource::new(file, id);
    }
    let content = file.fetch.fetch();
    let text = content.as_deref().map(decode_script).unwrap_or_default();
    let id = project.sources.add(file.path.clone(), text);
    Resource::read_script(file, id, content)
}

/// Decodes and parses one file, keeping its outline; a problem becomes a [`LoadProblem`] and the
/// file is left out of the model. The tree returned is lowered and dropped by the caller.
fn read(project: &mut Loaded, file: BundleFile) -> Option<Element> {
    project.files_read += 1;
    let decoded = decode(&file.bytes);
    let id = project.sources.add(file.path, decoded.text);
    let text = &project.sources.get(id).text;
    let parsed = xml::parse(id, text);
    if let Some((at, message)) = decoded.problem {
        // The text shown (with its undecodable bytes replaced) may still be well-formed: its
        // outline gives the file's findings their fingerprints, but the model does not use it.
        if let Ok(document) = parsed {
            project.outlines.push((id, Outline::of(&document.root)));
        }
        project.problems.push(LoadProblem {
            kind: ProblemKind::InvalidXml,
            message,
            span: Span::new(id, at..at),
        });
        return None;
    }
    match parsed {
        Ok(document) => {
            let file = Span::new(id, 0..text.len());
            project.suppressions.extend(suppressions(&document, file));
            project.outlines.push((id, Outline::of(&document.root)));
            Some(document.root)
        }
        Err(error) => {
            project.problems.push(LoadProblem {
                kind: ProblemKind::InvalidXml,
                message: error.message,
                span: error.span,
            });
            None
        }
    }
}

fn condition(parent: &Element) -> Option<Condition> {
    parent.child("Condition").map(|e| match e.text() {
        Some(text) => Condition {
            id: ConditionId::default(),
            text: text.value,
            span: text.span,
            map: text.map,
        },
        None => Condition {
            id: ConditionId::default(),
            text: String::new(),
            span: e.head(),
            map: TextMap::default(),
        },
    })
}

fn steps(parent: Option<&Element>) -> Vec<Step> {
    let steps = parent
        .into_iter()
        .flat_map(|p| p.children_named("Step"))
        .map(|step| {
            let name = Valued::child_text(step, "Name");
            Step {
                id: StepId::default(),
                name: name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                name_span: name.map(|n| n.span).unwrap_or_else(|| step.head()),
                condition: condition(step),
                span: step.head(),
                extent: step.span,
                problems: step_problems(step),
            }
        });
    exactly(steps)
}

/// The items in a vector of their number: a vector collected from an iterator of unknown length
/// has room for at least four, and the model of a large project holds many short lists.
pub(super) fn exactly<T>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.collect();
    items.shrink_to_fit();
    items
}

/// What the schema's `epStep` does not allow in `step`, in document order.
fn step_problems(step: &Element) -> Vec<StepProblem> {
    let mut problems = Vec::new();
    let (mut names, mut conditions) = (0, 0);
    for node in &step.children {
        let (kind, span) = match node {
            Node::Element(child) => match child.name.as_str() {
                "Name" => {
                    names += 1;
                    match (names, child.text()) {
                        (1, Some(_)) => continue,
                        (1, None) => (StepProblemKind::EmptyName, child.head()),
                        _ => (StepProblemKind::ExtraName, child.head()),
                    }
                }
                "Condition" => {
                    conditions += 1;
                    if conditions == 1 {
                        continue;
                    }
                    (StepProblemKind::ExtraCondition, child.head())
                }
                other if crate::catalog::step().element(other).is_some() => continue,
                other => (
                    StepProblemKind::UnknownChild(other.to_owned()),
                    child.head(),
                ),
            },
            Node::Text(text) if !text.value.trim().is_empty() => {
                let lead = text.value.len() - text.value.trim_start().len();
                let end = text.value.trim_end().len();
                (
                    StepProblemKind::Text,
                    text.map.span(text.span.file, lead..end),
                )
            }
            Node::Text(_) | Node::Comment(_) => continue,
        };
        problems.push(StepProblem { kind, span });
    }
    if names == 0 {
        problems.insert(
            0,
            StepProblem {
                kind: StepProblemKind::NoName,
                span: step.head(),
            },
        );
    }
    problems
}

fn flow(element: &Element, kind: FlowKind) -> Flow {
    // Fault rules and shared flows hold their steps directly.
    let direct = matches!(
        kind,
        FlowKind::FaultRule | FlowKind::DefaultFaultRule | FlowKind::SharedFlow
    );
    Flow {
        id: FlowId::default(),
        kind,
        name: element.attribute("name").map(|a| a.value.clone()),
        condition: condition(element),
        request: steps(if direct {
            Some(element)
        } else {
            element.child("Request")
        }),
        response: steps(element.child("Response")),
        always_enforce: Valued::child_text(element, "AlwaysEnforce")
            .is_some_and(|v| is_true(&v.value)),
        span: element.head(),
        extent: element.span,
    }
}

fn flows(root: &Element) -> Flows {
    let single = |name: &str, kind| root.child(name).map(|e| flow(e, kind));
    Flows {
        pre_flow: single("PreFlow", FlowKind::PreFlow),
        conditional: exactly(
            root.children_named("Flows")
                .flat_map(|f| f.children_named("Flow"))
                .map(|f| flow(f, FlowKind::Conditional)),
        ),
        post_flow: single("PostFlow", FlowKind::PostFlow),
        post_client_flow: single("PostClientFlow", FlowKind::PostClientFlow),
        fault_rules: exactly(
            root.children_named("FaultRules")
                .flat_map(|f| f.children_named("FaultRule"))
                .map(|f| flow(f, FlowKind::FaultRule)),
        ),
        default_fault_rule: single("DefaultFaultRule", FlowKind::DefaultFaultRule),
        event_flow_policies: root
            .children_named("EventFlow")
            .flat_map(|e| {
                steps(e.child("Request"))
                    .into_iter()
                    .chain(steps(e.child("Response")))
            })
            .map(|step| step.name)
            .filter(|name| !name.is_empty())
            .collect(),
    }
}

/// The root's `name` attribute (empty when there is none), and where it is: its value, or the
/// root tag when there is none.
fn root_name(root: &Element) -> (String, Span) {
    let name = Valued::attribute(root, "name");
    (
        name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        name.map(|n| n.span).unwrap_or_else(|| root.head()),
    )
}

fn proxy_endpoint(root: &Element) -> ProxyEndpoint {
    let connection = root
        .child("HTTPProxyConnection")
        .map(|c| HttpProxyConnection {
            base_path: Valued::child_text(c, "BasePath"),
            virtual_hosts: Valued::each(c, "VirtualHost"),
            properties: Properties::of(c),
            span: c.head(),
        });
    let (name, name_span) = root_name(root);
    ProxyEndpoint {
        id: EndpointId::default(),
        name,
        name_span,
        span: root.head(),
        extent: root.span,
        connection,
        flows: flows(root),
        structure: Structure::of(root, true),
        route_rules: exactly(root.children_named("RouteRule").map(|r| RouteRule {
            id: RouteRuleId::default(),
            name: r.attribute("name").map(|a| a.value.clone()),
            condition: condition(r),
            target_endpoint: Valued::present(r, "TargetEndpoint"),
            url: Valued::child_text(r, "URL"),
            span: r.head(),
            extent: r.span,
        })),
    }
}

fn target_endpoint(root: &Element) -> TargetEndpoint {
    let http = root
        .child("HTTPTargetConnection")
        .map(HttpTargetConnection::of);
    let local = root
        .child("LocalTargetConnection")
        .map(LocalTargetConnection::of);
    let (name, name_span) = root_name(root);
    TargetEndpoint {
        id: EndpointId::default(),
        name,
        name_span,
        span: root.head(),
        extent: root.span,
        flows: flows(root),
        http,
        local,
        structure: Structure::of(root, true),
    }
}

fn shared_flow(root: &Element) -> SharedFlow {
    SharedFlow {
        id: EndpointId::default(),
        name: root_name(root).0,
        span: root.head(),
        extent: root.span,
        steps: flow(root, FlowKind::SharedFlow),
        structure: Structure::of(root, true),
    }
}

fn policy(root: &Element) -> Policy {
    let (name, name_span) = root_name(root);
    let flag = |attribute: &str, default: bool| {
        root.attribute(attribute)
            .map(|a| is_true(&a.value))
            .unwrap_or(default)
    };
    let kind = DeclaredKind::of(&root.name);
    Policy {
        id: PolicyId::default(),
        name,
        name_span,
        view: PolicyView::of(&kind, root),
        display_name: Valued::present(root, "DisplayName"),
        enabled: flag("enabled", true),
        continue_on_error: flag("continueOnError", false),
        structure: Structure::of(root, false),
        configuration: super::digest::configuration(root),
        texts: super::policy::Texts::of(root),
        resource_urls: super::policy::resource_urls(&kind, root),
        source: super::policy::credential_source(&kind, root),
        kind,
    }
}

fn is_true(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;
    use super::*;

    fn steps_of(proxy: &str) -> Vec<Step> {
        let project = project(&[("apiproxy/proxies/default.xml", proxy)]);
        let text = &project.sources.get(crate::source::FileId(0)).text;
        let steps: Vec<Step> = project.bundles[0].all_steps().cloned().collect();
        for step in &steps {
            assert!(text[step.extent.range()].starts_with("<Step"));
            assert_eq!(&text[step.span.range()], "Step");
        }
        steps
    }

    #[test]
    fn malformed_steps_are_kept_with_what_is_wrong() {
        let text = "<ProxyEndpoint name=\"p\"><PreFlow><Request>\n<Step><Name>A</Name><FaultRules/></Step>\n<Step><Condition>x</Condition></Step>\n<Step><Name> </Name><Name>B</Name></Step>\n<Step><Name>C</Name><Condition>a</Condition><Condition>b</Condition><Other/> stray </Step>\n</Request></PreFlow></ProxyEndpoint>";
        let steps = steps_of(text);
        let problems = |i: usize| -> Vec<(StepProblemKind, &str)> {
            steps[i]
                .problems
                .iter()
                .map(|p| (p.kind.clone(), &text[p.span.range()]))
                .collect()
        };
        assert_eq!(steps.len(), 4, "no step is dropped");
        assert!(
            problems(0).is_empty(),
            "the catalog allows an empty <FaultRules/>"
        );
        assert_eq!(problems(1), [(StepProblemKind::NoName, "Step")]);
        assert_eq!(
            (steps[1].name.as_str(), &text[steps[1].name_span.range()]),
            ("", "Step")
        );
        assert!(steps[1].condition.is_some());
        assert_eq!(
            problems(2),
            [
                (StepProblemKind::EmptyName, "Name"),
                (StepProblemKind::ExtraName, "Name")
            ]
        );
        assert_eq!(steps[2].name, "", "the first <Name> is the one read");
        assert_eq!(
            problems(3),
            [
                (StepProblemKind::ExtraCondition, "Condition"),
                (StepProblemKind::UnknownChild("Other".into()), "Other"),
                (StepProblemKind::Text, "stray")
            ]
        );
        assert_eq!(steps[3].condition.as_ref().unwrap().text, "a");
    }
}
