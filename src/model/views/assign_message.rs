//! AssignMessage: the variables it assigns and the changes it makes to a message.

use crate::model::build::exactly;
use crate::model::{Flag, NamedValue, Valued};
use crate::parse::xml::Element;
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct AssignMessageView {
    /// In document order.
    pub assign_variables: Vec<AssignVariable>,
    /// `<AssignTo>`'s text: the message it changes (without it, the flow's message).
    pub assign_to: Option<Valued>,
    /// The `<AssignTo>` element itself, when present.
    pub assign_to_element: Option<AssignTo>,
    pub ignore_unresolved_variables: Option<Valued>,
    /// `<Add>`, `<Copy>`, `<Remove>` and `<Set>`, in document order (which is the order they run).
    pub changes: Vec<MessageChange>,
}

/// `<AssignTo>`: without a message name, it creates a message only with `createNew="true"`;
/// its `type` and `transport` count only then.
#[derive(Clone, Debug)]
pub struct AssignTo {
    /// The start tag.
    pub span: Span,
    pub create_new: Option<Flag>,
}

/// `<AssignVariable>`: `<Name>` gets `<Ref>`'s variable, `<Template>`, a property set's or a
/// resource's value, `<Value>` being the fallback.
#[derive(Clone, Debug)]
pub struct AssignVariable {
    pub name: Option<Valued>,
    pub reference: Option<Valued>,
    pub template: Option<Valued>,
    pub value: Option<Valued>,
    /// Present (maybe empty) when the element is.
    pub property_set_ref: Option<Valued>,
    pub resource_url: Option<Valued>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeAction {
    Add,
    Copy,
    Remove,
    Set,
}

/// One `<Add>`, `<Copy>`, `<Remove>` or `<Set>`.
#[derive(Clone, Debug)]
pub struct MessageChange {
    pub action: ChangeAction,
    /// The start tag.
    pub span: Span,
    /// No child element (a `<Set/>` or `<Add/>` then changes nothing).
    pub empty: bool,
    /// `<Headers><Header name="…">`, and the query and form parameters alike, in document order.
    pub headers: Vec<NamedValue>,
    pub query_params: Vec<NamedValue>,
    pub form_params: Vec<NamedValue>,
    /// Present (maybe empty) when the element is: the new value for Set, a flag for Copy and
    /// Remove.
    pub verb: Option<Valued>,
    pub path: Option<Valued>,
    pub payload: Option<Payload>,
    pub status_code: Option<Valued>,
}

/// `<Payload>`: the new body of the message, with its `contentType`.
#[derive(Clone, Debug)]
pub struct Payload {
    /// The start tag.
    pub span: Span,
    pub content_type: Option<Valued>,
    /// No text and no element: the body is emptied.
    pub empty: bool,
}

const ACTIONS: [(&str, ChangeAction); 4] = [
    ("Add", ChangeAction::Add),
    ("Copy", ChangeAction::Copy),
    ("Remove", ChangeAction::Remove),
    ("Set", ChangeAction::Set),
];

impl AssignMessageView {
    pub fn of(root: &Element) -> AssignMessageView {
        AssignMessageView {
            assign_variables: root
                .children_named("AssignVariable")
                .map(|a| AssignVariable {
                    name: Valued::child_text(a, "Name"),
                    reference: Valued::child_text(a, "Ref"),
                    template: Valued::child_text(a, "Template"),
                    value: Valued::child_text(a, "Value"),
                    property_set_ref: Valued::present(a, "PropertySetRef"),
                    resource_url: Valued::present(a, "ResourceURL"),
                })
                .collect(),
            assign_to: Valued::child_text(root, "AssignTo"),
            assign_to_element: root.child("AssignTo").map(|a| AssignTo {
                span: a.head(),
                create_new: Flag::attribute(a, "createNew"),
            }),
            ignore_unresolved_variables: Valued::child_text(root, "IgnoreUnresolvedVariables"),
            changes: MessageChange::each(root),
        }
    }
}

impl ChangeAction {
    /// The element's name: `Set` for `<Set>`.
    pub fn tag_name(self) -> &'static str {
        ACTIONS
            .iter()
            .find(|(_, action)| *action == self)
            .map_or("", |(name, _)| name)
    }
}

impl AssignMessageView {
    /// The values it sets or adds for the header `name` (compared without case), in order.
    pub fn header_values<'v>(&'v self, name: &'v str) -> impl Iterator<Item = &'v Valued> + 'v {
        self.changes
            .iter()
            .filter(|c| matches!(c.action, ChangeAction::Set | ChangeAction::Add))
            .flat_map(|c| &c.headers)
            .filter(move |h| {
                h.name
                    .as_ref()
                    .is_some_and(|n| n.value.trim().eq_ignore_ascii_case(name))
            })
            .filter_map(|h| h.value.as_ref())
    }
}

impl MessageChange {
    /// The `<Add>`, `<Copy>`, `<Remove>` and `<Set>` children of `parent`, in document order:
    /// an AssignMessage's, or a RaiseFault's `<FaultResponse>`'s.
    pub fn each(parent: &Element) -> Vec<MessageChange> {
        exactly(parent.elements().filter_map(|e| {
            let (_, action) = ACTIONS.iter().find(|(name, _)| *name == e.name)?;
            Some(MessageChange::of(*action, e))
        }))
    }

    fn of(action: ChangeAction, element: &Element) -> MessageChange {
        let items = |list: &str, item: &str| -> Vec<NamedValue> {
            let lists = element.children_named(list);
            exactly(lists.flat_map(|l| NamedValue::each(l, item)))
        };
        MessageChange {
            action,
            span: element.head(),
            empty: element.elements().next().is_none(),
            headers: items("Headers", "Header"),
            query_params: items("QueryParams", "QueryParam"),
            form_params: items("FormParams", "FormParam"),
            verb: Valued::present(element, "Verb"),
            path: Valued::present(element, "Path"),
            payload: element.child("Payload").map(|p| Payload {
                span: p.head(),
                content_type: Valued::attribute(p, "contentType"),
                empty: p.text().is_none() && p.elements().next().is_none(),
            }),
            status_code: Valued::present(element, "StatusCode"),
        }
    }
}
