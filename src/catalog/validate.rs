//! Checks an element tree against the catalog: the kind of its root, then every element's
//! attributes, text and children, down to the elements the catalog leaves open. The check is the
//! same for every platform: a problem says on which platforms it is one.

use super::{kind, kinds, Platforms, Type, TypeId, Value};
use crate::parse::xml::Element;
use crate::source::Span;
use crate::suggest::closest;
use std::collections::{HashSet, VecDeque};

/// One way an element tree differs from what its kind allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructureProblem {
    pub problem: Problem,
    pub span: Span,
    /// The element it is about: element names from the root, `/`-separated (`OAuthV2/Tokens`).
    pub path: String,
    /// Where it is a problem: a thing of one platform is a problem on the others, a required
    /// element of one platform is missing only there.
    pub platforms: Platforms,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The root element names no kind the catalog knows.
    UnknownKind {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// A kind, element or attribute that exists only on `platforms`.
    NotOnProfile {
        name: String,
        platforms: Platforms,
    },
    UnknownElement {
        name: String,
        suggestion: Option<&'static str>,
        /// Where the kind declares an element of this name: the path of its parent (the
        /// shortest, when there are several), so the element is likely misplaced.
        belongs_in: Option<String>,
    },
    UnknownAttribute {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// A text (`attribute: None`) or attribute value that its type does not allow.
    InvalidValue {
        value: String,
        expected: Value,
        attribute: Option<&'static str>,
    },
    MissingElement {
        name: &'static str,
    },
    MissingAttribute {
        name: &'static str,
    },
    /// Fewer than `min` of the elements `names` appear.
    MissingOneOf {
        names: &'static [&'static str],
        min: u32,
    },
    /// The elements `present` appear together, and at most `max` of them may.
    Exclusive {
        present: Vec<&'static str>,
        max: u32,
    },
    /// An element appears `count` times, more than the `max` it may.
    Repeated {
        name: &'static str,
        max: u32,
        count: usize,
    },
    /// Text in an element that holds elements only.
    UnexpectedText,
    /// An element Apigee deprecated, with what it says to use instead.
    Deprecated {
        name: &'static str,
        instead: &'static str,
    },
}

/// Checks `root`, a policy, endpoint or shared flow file's root element.
pub fn validate(root: &Element) -> Vec<StructureProblem> {
    let Some(found) = kind(&root.name) else {
        let suggestion = closest(&root.name, kinds().iter().map(|k| k.name));
        return vec![StructureProblem {
            problem: Problem::UnknownKind {
                name: root.name.clone(),
                suggestion,
            },
            span: root.head(),
            path: root.name.clone(),
            platforms: Platforms::All,
        }];
    };
    let mut checker = Checker {
        root: found.root,
        scope: Platforms::All,
        path: vec![&root.name],
        counts: Vec::new(),
        problems: Vec::new(),
    };
    checker.platform(&root.name, found.platforms, root.head());
    checker.scope = found.platforms;
    // The parser caps nesting depth, which bounds this recursion.
    checker.element(root, found.root());
    checker.problems
}

struct Checker<'a> {
    /// The type of the root element, where misplaced elements are looked for.
    root: TypeId,
    /// The platforms the element being checked exists on: its problems are problems there.
    scope: Platforms,
    /// The names of the elements from the root to the one being checked: joined into a
    /// problem's path only when there is a problem.
    path: Vec<&'a str>,
    /// How many of each element its type declares the elements being checked hold, one frame
    /// per element from the root down (one buffer rather than one allocation per element).
    counts: Vec<usize>,
    problems: Vec<StructureProblem>,
}

impl<'a> Checker<'a> {
    fn report(&mut self, problem: Problem, span: Span) {
        self.report_on(problem, span, Platforms::All);
    }

    /// Reports a problem with the element being checked that is one on `platforms`, within the
    /// scope.
    fn report_on(&mut self, problem: Problem, span: Span, platforms: Platforms) {
        let platforms = if platforms == Platforms::All {
            self.scope
        } else {
            platforms
        };
        self.problems.push(StructureProblem {
            problem,
            span,
            path: self.path.join("/"),
            platforms,
        });
    }

    /// Reports a kind, element or attribute of one platform as a problem on the others.
    fn platform(&mut self, name: &str, platforms: Platforms, span: Span) {
        let elsewhere = match platforms {
            Platforms::All => return,
            Platforms::X => Platforms::Edge,
            Platforms::Edge => Platforms::X,
        };
        let name = name.to_owned();
        let problem = Problem::NotOnProfile { name, platforms };
        self.report_on(problem, span, elsewhere);
    }

    fn element(&mut self, element: &'a Element, ty: &'static Type) {
        self.attributes(element, ty);
        let text_instead = self.text(element, ty);
        self.children(element, ty, !text_instead);
    }

    fn attributes(&mut self, element: &Element, ty: &'static Type) {
        for attribute in &element.attributes {
            // Namespace declarations are not attributes.
            if attribute.name == "xmlns" || attribute.name.starts_with("xmlns:") {
                continue;
            }
            let Some(declared) = ty.attribute(&attribute.name) else {
                if !ty.any_attributes {
                    let suggestion = closest(&attribute.name, ty.attributes.iter().map(|a| a.name));
                    let name = attribute.name.clone();
                    let problem = Problem::UnknownAttribute { name, suggestion };
                    self.report(problem, attribute.name_span);
                }
                continue;
            };
            self.platform(&attribute.name, declared.platforms, attribute.name_span);
            if !attribute.value.trim().is_empty() && !declared.value.accepts(&attribute.value) {
                let problem = Problem::InvalidValue {
                    value: attribute.value.clone(),
                    expected: declared.value,
                    attribute: Some(declared.name),
                };
                let on = declared.value_platforms;
                self.report_on(problem, attribute.value_span, on);
            }
        }
        for declared in ty.attributes {
            if declared.required && element.attribute(declared.name).is_none() {
                let problem = Problem::MissingAttribute {
                    name: declared.name,
                };
                self.report_on(problem, element.head(), declared.platforms);
            }
        }
    }

    /// Checks the element's text; true when it holds text where elements were expected.
    fn text(&mut self, element: &Element, ty: &'static Type) -> bool {
        // Free text accepts anything: no need to gather it (most elements are of this type).
        if ty.text == Some(Value::Text) {
            return false;
        }
        let Some(value) = element.text_value() else {
            return false;
        };
        let problem = match ty.text {
            None => Problem::UnexpectedText,
            Some(expected) if !expected.accepts(&value) => Problem::InvalidValue {
                value: value.into_owned(),
                expected,
                attribute: None,
            },
            Some(_) => return false,
        };
        // Where the text is takes copying its map: done for a problem only.
        let span = element.text().map_or(element.head(), |text| text.span);
        self.report(problem, span);
        ty.text.is_none()
    }

    /// Checks the children, and which are missing unless `complete` is false (the element
    /// holds text instead, which is the problem reported).
    fn children(&mut self, element: &'a Element, ty: &'static Type, complete: bool) {
        // This element's frame of counts; its children's frames go above it and are gone
        // when they return.
        let frame = self.counts.len();
        self.counts.resize(frame + ty.elements.len(), 0);
        for child in element.elements() {
            let Some(index) = ty.elements.iter().position(|e| e.name == child.name) else {
                if !ty.any_elements {
                    let suggestion = closest(&child.name, ty.elements.iter().map(|e| e.name));
                    let name = child.name.clone();
                    let belongs_in = self.declared_parent(&name);
                    let problem = Problem::UnknownElement {
                        name,
                        suggestion,
                        belongs_in,
                    };
                    self.report(problem, child.head());
                }
                continue;
            };
            let declared = &ty.elements[index];
            self.counts[frame + index] += 1;
            self.path.push(&child.name);
            if self.counts[frame + index] as u64 == u64::from(declared.max) + 1 {
                let problem = Problem::Repeated {
                    name: declared.name,
                    max: declared.max,
                    count: element.children_named(&child.name).count(),
                };
                self.report(problem, child.head());
            }
            self.platform(&child.name, declared.platforms, child.head());
            if let Some(instead) = declared.deprecated {
                let name = declared.name;
                let problem = Problem::Deprecated { name, instead };
                self.report(problem, child.head());
            }
            let outer = self.scope;
            if declared.platforms != Platforms::All {
                self.scope = declared.platforms;
            }
            self.element(child, declared.ty());
            self.scope = outer;
            self.path.pop();
        }
        if complete {
            for (index, declared) in ty.elements.iter().enumerate() {
                if (self.counts[frame + index] as u64) < u64::from(declared.min) {
                    let problem = Problem::MissingElement {
                        name: declared.name,
                    };
                    self.report_on(problem, element.head(), declared.platforms);
                }
            }
            self.groups(element, ty, frame);
        }
        self.counts.truncate(frame);
    }

    /// Checks the groups of `ty`, counting with the frame of counts at `frame`.
    fn groups(&mut self, element: &Element, ty: &'static Type, frame: usize) {
        for group in ty.groups {
            let counts = &self.counts[frame..];
            let present: Vec<&'static str> = group
                .names
                .iter()
                .copied()
                .filter(|name| {
                    ty.elements
                        .iter()
                        .zip(counts)
                        .any(|(e, &count)| e.name == *name && count > 0)
                })
                .collect();
            let count = present.len() as u64;
            if count < u64::from(group.min) {
                let problem = Problem::MissingOneOf {
                    names: group.names,
                    min: group.min,
                };
                self.report(problem, element.head());
            } else if count > u64::from(group.max) {
                let problem = Problem::Exclusive {
                    present,
                    max: group.max,
                };
                self.report(problem, element.head());
            }
        }
    }

    /// Where the kind declares an element named `name`, other than at the element being
    /// checked: the path of the nearest parent, found breadth first from the root.
    fn declared_parent(&self, name: &str) -> Option<String> {
        let here = self.path.join("/");
        let mut seen: HashSet<TypeId> = HashSet::from([self.root]);
        let mut queue = VecDeque::from([(self.root, self.path[0].to_owned())]);
        while let Some((ty, path)) = queue.pop_front() {
            let ty_ref = ty.get();
            if path != here && ty_ref.element(name).is_some() {
                return Some(path);
            }
            for child in ty_ref.elements {
                if seen.insert(child.ty) {
                    queue.push_back((child.ty, format!("{path}/{}", child.name)));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Profile;
    use crate::parse::xml::parse;
    use crate::source::FileId;

    /// The problems of `xml` on Apigee X, each with the text its span covers and its path.
    fn problems(xml: &str) -> Vec<(Problem, String, String)> {
        let document = parse(FileId(0), xml).unwrap();
        validate(&document.root)
            .into_iter()
            .filter(|p| p.platforms.includes(Profile::X))
            .map(|p| (p.problem, xml[p.span.range()].to_owned(), p.path))
            .collect()
    }

    fn one(xml: &str) -> (Problem, String, String) {
        let mut found = problems(xml);
        assert_eq!(found.len(), 1, "{found:#?}");
        found.remove(0)
    }

    #[test]
    fn a_well_formed_policy_has_no_problems() {
        let xml = r#"<OAuthV2 name="OA-Token" enabled="true" continueOnError="false">
            <DisplayName>Token</DisplayName>
            <Operation>GenerateAccessToken</Operation>
            <ExpiresIn ref="lifetime"/>
            <RefreshTokenExpiresIn ref="rt.lifetime">86400000</RefreshTokenExpiresIn>
            <SupportedGrantTypes><GrantType>password</GrantType></SupportedGrantTypes>
            <GenerateResponse enabled="true"/>
        </OAuthV2>"#;
        assert_eq!(problems(xml), []);
    }

    #[test]
    fn unknown_names_come_with_the_closest_allowed_one() {
        let (problem, span, _) = one(r#"<OAuthv2 name="a"/>"#);
        let suggestion = Some("OAuthV2");
        let name = "OAuthv2".to_owned();
        assert_eq!(problem, Problem::UnknownKind { name, suggestion });
        assert_eq!(span, "OAuthv2");

        let (problem, span, path) = one(r#"<OAuthV2 name="a"><Tokens><Tokn/></Tokens></OAuthV2>"#);
        let name = "Tokn".to_owned();
        let suggestion = Some("Token");
        let belongs_in = None;
        assert_eq!(
            problem,
            Problem::UnknownElement {
                name,
                suggestion,
                belongs_in
            }
        );
        assert_eq!((span.as_str(), path.as_str()), ("Tokn", "OAuthV2/Tokens"));

        let (problem, span, _) = one(r#"<OAuthV2 name="a" enabeld="true"/>"#);
        let name = "enabeld".to_owned();
        let suggestion = Some("enabled");
        assert_eq!(problem, Problem::UnknownAttribute { name, suggestion });
        assert_eq!(span, "enabeld");
    }

    /// A value one platform refuses is a problem there only: X takes `http` alone as AssignTo's
    /// transport, Edge any.
    #[test]
    fn a_value_refused_on_one_platform_is_a_problem_there() {
        let xml = r#"<AssignMessage name="a"><AssignTo transport="https" type="request"/></AssignMessage>"#;
        let document = parse(FileId(0), xml).unwrap();
        let found = validate(&document.root);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].platforms, Platforms::X);
        assert!(matches!(
            found[0].problem,
            Problem::InvalidValue {
                attribute: Some("transport"),
                ..
            }
        ));
        let http = r#"<AssignMessage name="a"><AssignTo transport="http" type="request"/></AssignMessage>"#;
        assert!(problems(http).is_empty());
    }

    #[test]
    fn values_outside_their_type_or_enumeration() {
        let xml = r#"<OAuthV2 name="a" enabled="yes">
            <Operation>GenerateToken</Operation>
            <ExpiresIn>soon</ExpiresIn>
        </OAuthV2>"#;
        let found = problems(xml);
        let spans: Vec<&str> = found.iter().map(|(_, span, _)| span.as_str()).collect();
        assert_eq!(spans, ["yes", "GenerateToken", "soon"]);
        assert!(matches!(
            found[0].0,
            Problem::InvalidValue {
                expected: Value::Boolean,
                attribute: Some("enabled"),
                ..
            }
        ));
        assert!(matches!(
            found[1].0,
            Problem::InvalidValue {
                expected: Value::OneOf(values),
                attribute: None,
                ..
            } if values.contains(&"GenerateAccessToken")
        ));
        assert!(matches!(
            found[2].0,
            Problem::InvalidValue {
                expected: Value::Integer,
                ..
            }
        ));
    }

    #[test]
    fn missing_attributes_and_elements() {
        let (problem, span, _) = one("<OAuthV2/>");
        assert_eq!(problem, Problem::MissingAttribute { name: "name" });
        assert_eq!(span, "OAuthV2");

        let (problem, _, path) = one(r#"<FlowCallout name="fc"><DisplayName/></FlowCallout>"#);
        let name = "SharedFlowBundle";
        assert_eq!(problem, Problem::MissingElement { name });
        assert_eq!(path, "FlowCallout");
    }

    #[test]
    fn repeated_elements_are_reported_once_at_the_first_extra() {
        let xml = r#"<OAuthV2 name="a">
            <Operation>VerifyAccessToken</Operation>
            <Operation>VerifyAccessToken</Operation>
            <Operation>VerifyAccessToken</Operation>
        </OAuthV2>"#;
        let (problem, _, path) = one(xml);
        let name = "Operation";
        assert_eq!(
            problem,
            Problem::Repeated {
                name,
                max: 1,
                count: 3
            }
        );
        assert_eq!(path, "OAuthV2/Operation");
    }

    #[test]
    fn text_where_elements_belong() {
        let xml = r#"<OAuthV2 name="a"><Tokens>all of them</Tokens></OAuthV2>"#;
        let (problem, span, path) = one(xml);
        assert_eq!(problem, Problem::UnexpectedText);
        assert_eq!(
            (span.as_str(), path.as_str()),
            ("all of them", "OAuthV2/Tokens")
        );
    }

    #[test]
    fn groups_of_elements() {
        let xml = r#"<TargetEndpoint name="default"><PreFlow/></TargetEndpoint>"#;
        let (problem, ..) = one(xml);
        assert!(matches!(
            problem,
            Problem::MissingOneOf { names, min: 1 } if names.contains(&"HTTPTargetConnection")
        ));

        let xml = r#"<TargetEndpoint name="default">
            <HTTPTargetConnection><URL>https://example.com</URL></HTTPTargetConnection>
            <LocalTargetConnection><Path>/v1</Path></LocalTargetConnection>
        </TargetEndpoint>"#;
        let (problem, ..) = one(xml);
        let present = vec!["HTTPTargetConnection", "LocalTargetConnection"];
        assert_eq!(problem, Problem::Exclusive { present, max: 1 });
    }

    #[test]
    fn kinds_and_elements_of_one_platform() {
        let xml = r#"<OAuthV1 name="o"><Operation>GenerateRequestToken</Operation></OAuthV1>"#;
        let (problem, span, _) = one(xml);
        let name = "OAuthV1".to_owned();
        let platforms = Platforms::Edge;
        assert_eq!(problem, Problem::NotOnProfile { name, platforms });
        assert_eq!(span, "OAuthV1");
        let document = parse(FileId(0), xml).unwrap();
        let found = validate(&document.root);
        assert!(found.iter().all(|p| !p.platforms.includes(Profile::Edge)));
        assert!(found.iter().all(|p| p.platforms.includes(Profile::Hybrid)));

        let xml = r#"<TargetEndpoint name="node"><ScriptTarget><ResourceURL>node://a.js</ResourceURL></ScriptTarget></TargetEndpoint>"#;
        let (problem, _, path) = one(xml);
        assert!(matches!(problem, Problem::NotOnProfile { name, .. } if name == "ScriptTarget"));
        assert_eq!(path, "TargetEndpoint/ScriptTarget");
    }

    #[test]
    fn an_element_declared_elsewhere_in_the_kind_is_misplaced() {
        let xml = r#"<ServiceCallout name="sc"><HTTPTargetConnection><URL>https://a</URL>
            <TrustStore>ref://ts</TrustStore></HTTPTargetConnection></ServiceCallout>"#;
        let (problem, span, path) = one(xml);
        assert_eq!(
            (span.as_str(), path.as_str()),
            ("TrustStore", "ServiceCallout/HTTPTargetConnection")
        );
        assert!(matches!(
            problem,
            Problem::UnknownElement { belongs_in: Some(parent), .. }
                if parent == "ServiceCallout/HTTPTargetConnection/SSLInfo"
        ));
    }

    #[test]
    fn what_one_platform_requires_is_missing_only_there() {
        let xml = r#"<TargetEndpoint name="t"><ScriptTarget/><HostedTarget/></TargetEndpoint>"#;
        let document = parse(FileId(0), xml).unwrap();
        let platforms: Vec<(String, Platforms)> = validate(&document.root)
            .into_iter()
            .map(|p| (format!("{:?}", p.problem), p.platforms))
            .collect();
        assert!(platforms
            .iter()
            .any(|(p, on)| p.starts_with("NotOnProfile") && *on == Platforms::X));
        assert!(platforms
            .iter()
            .any(|(p, on)| p.starts_with("Exclusive") && *on == Platforms::All));
    }

    #[test]
    fn open_content_and_namespaces_are_not_checked() {
        let xml = r#"<AssignMessage name="am" xmlns:x="urn:x">
            <Set><Payload contentType="text/xml"><x:Anything at="all"><Deep/></x:Anything></Payload></Set>
        </AssignMessage>"#;
        assert_eq!(problems(xml), []);
    }
}
