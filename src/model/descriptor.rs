//! The bundle's descriptor, `apiproxy/<name>.xml` or `sharedflowbundle/<name>.xml`: its name and
//! revision, and what it lists (as written; Apigee rebuilds the lists on import, so a list that
//! disagrees with the bundle's files is a smell, not an error).

use super::values::Valued;
use crate::parse::xml::Element;
use crate::source::Span;

pub struct Descriptor {
    pub name: Option<Valued>,
    /// The root tag (`APIProxy` or `SharedFlowBundle`).
    pub span: Span,
    /// The whole root element.
    pub extent: Span,
    pub revision: Option<Valued>,
    pub display_name: Option<Valued>,
    pub description: Option<Valued>,
    /// `<BasePaths>`, or `<Basepaths>` as Apigee's export spells it.
    pub base_paths: Option<Valued>,
    pub policies: Vec<Valued>,
    pub proxy_endpoints: Vec<Valued>,
    pub target_endpoints: Vec<Valued>,
    pub shared_flows: Vec<Valued>,
    /// `jsc://a.js`, as written.
    pub resources: Vec<Valued>,
}

impl Descriptor {
    /// `None` when the root is neither `<APIProxy>` nor `<SharedFlowBundle>`.
    pub fn of(root: &Element) -> Option<Descriptor> {
        if !matches!(root.name.as_str(), "APIProxy" | "SharedFlowBundle") {
            return None;
        }
        Some(Descriptor {
            name: Valued::attribute(root, "name"),
            span: root.head(),
            extent: root.span,
            revision: Valued::attribute(root, "revision"),
            display_name: Valued::child_text(root, "DisplayName"),
            description: Valued::child_text(root, "Description"),
            base_paths: Valued::child_text(root, "BasePaths")
                .or_else(|| Valued::child_text(root, "Basepaths")),
            policies: Valued::listed(root, "Policies", "Policy"),
            proxy_endpoints: Valued::listed(root, "ProxyEndpoints", "ProxyEndpoint"),
            target_endpoints: Valued::listed(root, "TargetEndpoints", "TargetEndpoint"),
            shared_flows: Valued::listed(root, "SharedFlows", "SharedFlow"),
            resources: Valued::listed(root, "Resources", "Resource"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::project;

    #[test]
    fn a_descriptor_keeps_what_it_lists_with_spans() {
        let text = "<?xml version=\"1.0\"?>\n<APIProxy revision=\"3\" name=\"orders\">\n  <Basepaths>/v1/orders</Basepaths>\n  <DisplayName>Orders</DisplayName>\n  <Description>Orders API</Description>\n  <Policies><Policy>OA-Verify</Policy><Policy>AM-Set</Policy></Policies>\n  <ProxyEndpoints><ProxyEndpoint>default</ProxyEndpoint></ProxyEndpoints>\n  <Resources><Resource>jsc://a.js</Resource></Resources>\n  <TargetEndpoints/>\n</APIProxy>\n";
        let proxy = project(&[("apiproxy/orders.xml", text)]);
        let bundle = &proxy.bundles[0];
        let d = bundle.descriptor.as_ref().unwrap();
        let at = |v: &Option<super::Valued>| &text[v.as_ref().unwrap().span.range()];
        assert_eq!(bundle.name, "orders");
        assert_eq!((at(&d.name), at(&d.revision)), ("orders", "3"));
        assert_eq!(at(&d.base_paths), "/v1/orders");
        assert_eq!(at(&d.display_name), "Orders");
        assert_eq!(at(&d.description), "Orders API");
        let names = |list: &[super::Valued]| -> Vec<&str> {
            list.iter().map(|v| &text[v.span.range()]).collect()
        };
        assert_eq!(names(&d.policies), ["OA-Verify", "AM-Set"]);
        assert_eq!(names(&d.proxy_endpoints), ["default"]);
        assert_eq!(names(&d.resources), ["jsc://a.js"]);
        assert!(d.target_endpoints.is_empty() && d.shared_flows.is_empty());
        assert_eq!(&text[d.span.range()], "APIProxy");
        assert!(text[d.extent.range()].ends_with("</APIProxy>"));

        let shared = project(&[(
            "sharedflowbundle/s.xml",
            "<SharedFlowBundle name=\"s\"><BasePaths>/x</BasePaths><SharedFlows><SharedFlow>default</SharedFlow></SharedFlows></SharedFlowBundle>",
        )]);
        let d = shared.bundles[0].descriptor.as_ref().unwrap();
        assert_eq!(d.shared_flows[0].value, "default");
        assert_eq!(d.base_paths.as_ref().unwrap().value, "/x");
    }
}
