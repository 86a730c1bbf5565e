//! The typed model of a project: every bundle of one run, with spans back into the sources.
//!
//! The model knows nothing of the engine or the rules. It records what the files say, including
//! what could not be read (`problems`), so that nothing is dropped silently.

mod build;
mod descriptor;
mod digest;
mod endpoint;
mod ids;
mod policy;
mod resolve;
mod resources;
mod script;
mod structure;
mod target;
mod tree;
mod values;
mod views;

pub use build::{
    build_bundle, has_no_place, is_hidden, is_model_file, unplaced_folder, BundleFile, Loaded,
    UnplacedFile,
};
pub use descriptor::Descriptor;
pub use endpoint::*;
pub use ids::*;
pub use policy::*;
pub use resolve::{References, Resolved};
pub use resources::*;
pub use script::{OutboundUrl, Script, Syntax};
pub use structure::Structure;
pub use target::*;
pub use tree::{Ancestor, Outline, Outlines};
pub use values::*;
pub use views::*;

use crate::catalog::PolicyKind;
use crate::source::{SourceDb, Span};
use std::collections::HashSet;

/// Every bundle of one run, plus the sources they were read from.
#[derive(Default)]
pub struct Project {
    pub bundles: Vec<Bundle>,
    pub sources: SourceDb,
    /// Files that could not be read as XML, in the order they were met.
    pub problems: Vec<LoadProblem>,
    /// How many files were read (for the summary).
    pub files_read: usize,
    /// How many files the configuration left out of the run (for the summary).
    pub files_excluded: usize,
    /// The `<!-- oauthlint-… -->` comments of every file, in file order.
    pub suppressions: Vec<Suppression>,
    /// Where each numbered node sits (see [`Project::push_bundle`]).
    pub index: Index,
    /// What names lead to, once loading ends (see [`Project::resolve_references`]).
    pub references: References,
    /// The outline of every file whose text is well-formed XML (its element tree is dropped once
    /// lowered).
    pub outlines: Outlines,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BundleKind {
    ApiProxy,
    SharedFlow,
}

pub struct Bundle {
    /// Given when the bundle joins the project, as are the ids of its nodes.
    pub id: BundleId,
    pub kind: BundleKind,
    /// The descriptor's `name`, else the folder holding `apiproxy/` or `sharedflowbundle/`.
    pub name: String,
    /// Display path of the `apiproxy/` or `sharedflowbundle/` folder.
    pub dir: String,
    pub descriptor: Option<Descriptor>,
    pub proxy_endpoints: Vec<ProxyEndpoint>,
    pub target_endpoints: Vec<TargetEndpoint>,
    pub shared_flows: Vec<SharedFlow>,
    /// Sorted by file path; a Step naming a name given twice runs the first (see
    /// [`Project::step_policy`]).
    pub policies: Vec<Policy>,
    /// The files under `resources/`, sorted by path; their content is read when asked.
    pub resources: Vec<Resource>,
    /// Files of the bundle (paths inside it) that could not be read into the model.
    pub failed_files: Vec<String>,
    /// Files of the bundle folder its layout has no place for ([`has_no_place`]), sorted by path.
    pub unplaced_files: Vec<UnplacedFile>,
}

/// A file that could not be read, was refused, or is not well-formed XML, with where it went wrong.
#[derive(Clone, Debug)]
pub struct LoadProblem {
    pub kind: ProblemKind,
    pub message: String,
    pub span: Span,
}

/// An `<!-- oauthlint-… -->` comment as written: a suppression, or a malformed one (which the
/// `invalid-suppression` rule reports and which suppresses nothing); or apigeelint's
/// `<!-- apigeelint disable=ID,… -->`, which suppresses only where the configuration says
/// `honour_apigeelint_comments = true`.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The whole comment.
    pub span: Span,
    /// The `oauthlint-…` word it starts with, or `apigeelint disable`.
    pub directive: Valued,
    /// The rule names before the colon, as written.
    pub rules: Vec<Valued>,
    /// The text after the colon, when it is not blank.
    pub reason: Option<Valued>,
    /// What it covers: the element it comes before, or the whole file when it comes before the
    /// root element; `None` when no element follows it.
    pub scope: Option<Span>,
}

impl Suppression {
    /// The one directive there is.
    pub const DISABLE: &'static str = "oauthlint-disable";
    /// apigeelint's (its IDs follow `=`; it takes no reason).
    pub const APIGEELINT_DISABLE: &'static str = "apigeelint disable";

    /// Whether it is apigeelint's comment rather than ours.
    pub fn is_apigeelint(&self) -> bool {
        self.directive.value == Self::APIGEELINT_DISABLE
    }

    /// Whether it suppresses anything: our directive, with rule names and a reason; or
    /// apigeelint's, with IDs, where its comments are honoured.
    pub fn takes_effect(&self, apigeelint_honoured: bool) -> bool {
        if self.is_apigeelint() {
            return apigeelint_honoured && !self.rules.is_empty();
        }
        self.directive.value == Self::DISABLE && !self.rules.is_empty() && self.reason.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not text in a supported encoding, or not well-formed XML.
    InvalidXml,
    /// The file system refused to give the file (permissions, a loop, a vanished file), or a zip
    /// archive or entry is damaged.
    Unreadable,
    /// A zip archive or entry refused because extracting or inflating it could do harm: a path
    /// out of its folder, a symbolic link, a zip bomb.
    UnsafeArchive,
}

impl Bundle {
    /// The JavaScript policy's scripts (`resources/jsc/`) that could be read, each with its file,
    /// parsed from their text in `sources`. A file that only other policies name is data, not a
    /// script (`<AssignVariable><ResourceURL>jsc://template.json`).
    pub fn scripts<'a>(
        &'a self,
        sources: &'a SourceDb,
    ) -> impl Iterator<Item = (&'a Resource, &'a Script)> {
        let named_by = |javascript: bool| -> HashSet<String> {
            let runs_it = |p: &&Policy| {
                matches!(p.kind, DeclaredKind::Known(PolicyKind::Javascript)) == javascript
            };
            let policies = self.policies.iter().filter(runs_it);
            policies
                .flat_map(|p| p.resource_urls())
                .map(|u| u.value.clone())
                .collect()
        };
        let (scripts, data) = (named_by(true), named_by(false));
        self.resources
            .iter()
            .filter(move |r| {
                let url = r.url();
                scripts.contains(&url) || !data.contains(&url)
            })
            .filter_map(move |r| Some((r, r.script(sources)?)))
    }

    /// Every flow of every endpoint and shared flow, with the steps they attach.
    pub fn all_flows(&self) -> impl Iterator<Item = &Flow> {
        let proxies = self.proxy_endpoints.iter().flat_map(|e| e.flows.all());
        let targets = self.target_endpoints.iter().flat_map(|e| e.flows.all());
        let shared = self.shared_flows.iter().map(|s| &s.steps);
        proxies.chain(targets).chain(shared)
    }

    /// Every Step of the bundle, wherever it is attached.
    pub fn all_steps(&self) -> impl Iterator<Item = &Step> {
        self.all_flows()
            .flat_map(|f| f.request.iter().chain(&f.response))
    }
}

impl Project {
    pub fn bundle(&self, id: BundleId) -> &Bundle {
        &self.bundles[id.0 as usize]
    }

    pub fn bundle_ids(&self) -> impl Iterator<Item = BundleId> {
        (0..self.bundles.len() as u32).map(BundleId)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Project;

    /// A project of one bundle, `p/`, from `(path inside p/, text)` pairs.
    pub fn project(files: &[(&str, &str)]) -> Project {
        let files: Vec<(String, &str)> = files
            .iter()
            .map(|(path, text)| (format!("p/{path}"), *text))
            .collect();
        project_of(&files)
    }

    /// A project from `(path, text)` pairs.
    pub fn project_of<P: AsRef<str>>(files: &[(P, &str)]) -> Project {
        crate::parse::load::load_memory(
            files
                .iter()
                .map(|(path, text)| (path.as_ref().to_owned(), Ok(text.as_bytes().to_vec())))
                .collect(),
        )
    }
}
