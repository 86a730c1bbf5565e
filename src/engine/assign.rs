//! The value an AssignMessage `<AssignVariable>` gives its `<Name>`.
//!
//! Sources (marks as in apigee-oauth-reference.md):
//! * `<Ref>` names a variable; when it does not exist, is not readable or is null, `<Value>` is
//!   assigned instead: `<Value>` is the default (AssignMessage reference, AssignVariable/Ref and
//!   Value, ◐ SAP API Management copy of the Edge page).
//! * `<Template>` is a message template; `<Value>` beside it is again the default (◐ the
//!   AssignMessage reference's Template example, `<Value>BADDBEEF</Value>` with a template, and
//!   Google's announcement of `<Template>` in AssignVariable on the Apigee community).
//! * With `IgnoreUnresolvedVariables` true an unresolvable variable reads as an empty string;
//!   false, the default, makes it an error (✔ same page, IgnoreUnresolvedVariables).
//!
//! Which of `<Ref>` and `<Template>` wins when both resolve was not found in a retrievable page:
//! unknown then. `<PropertySetRef>` and `<ResourceURL>` read what the engine does not load.

use super::condition::{Lookup, Value};
use super::state::{State, World};
use crate::model::{AssignVariable, Valued};

/// What `assign` sets its variable to in `state`.
pub fn assigned_value(
    assign: &AssignVariable,
    ignore_unresolved: bool,
    world: World,
    state: &State,
) -> Lookup {
    if assign.property_set_ref.is_some() || assign.resource_url.is_some() {
        return Lookup::Unknown;
    }
    let text = |v: &Option<Valued>| v.as_ref().map(|v| v.value.clone());
    let reference = text(&assign.reference).map(|r| match state.lookup(world, &r) {
        // "Any other value" stands for values unlike the literals of the variable read, not of
        // the variable assigned: only its being non-null carries over.
        Lookup::Other => Lookup::Unknown,
        found => found,
    });
    // A template that comes out empty falls back like an absent one.
    let template = text(&assign.template)
        .map(|t| render(&t, ignore_unresolved, world, state))
        .filter(|t| *t != Lookup::Known(Value::Str(String::new())));
    let chosen = match (reference, template) {
        (None | Some(Lookup::Known(Value::Null)), Some(template)) => Some(template),
        (Some(_), Some(_)) => Some(Lookup::Unknown),
        (reference, None) => reference,
    };
    match (chosen, text(&assign.value)) {
        (Some(Lookup::Known(Value::Null)) | None, Some(fallback)) => {
            Lookup::Known(Value::Str(fallback))
        }
        (Some(Lookup::Known(Value::Null)), None) => {
            // Whether a null `<Ref>` without a default assigns null or leaves the variable as
            // it was is not documented: known only when both agree.
            let name = text(&assign.name).unwrap_or_default();
            match state.lookup(world, &name) {
                Lookup::Known(Value::Null) => Lookup::Known(Value::Null),
                _ => Lookup::Unknown,
            }
        }
        (Some(chosen), _) => chosen,
        (None, None) => Lookup::Unknown,
    }
}

/// A message template's text: `{name}` references replaced by their values. Anything else in
/// braces (a function such as `{createUuid()}`, JSON) and any value the engine does not know
/// make it unknown; so does an unresolved reference unless `ignore_unresolved` reads it as "".
fn render(template: &str, ignore_unresolved: bool, world: World, state: &State) -> Lookup {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Lookup::Unknown;
        };
        let name = &rest[open + 1..close];
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
        if !plain {
            return Lookup::Unknown;
        }
        match state.lookup(world, name) {
            Lookup::Known(Value::Str(s)) => out.push_str(&s),
            Lookup::Known(Value::Bool(b)) => out.push_str(&b.to_string()),
            Lookup::Known(Value::Int(i) | Value::Long(i)) => out.push_str(&i.to_string()),
            Lookup::Known(Value::Null) if ignore_unresolved => {}
            _ => return Lookup::Unknown,
        }
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Lookup::Unknown;
    }
    out.push_str(rest);
    Lookup::Known(Value::Str(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::request::Request;
    use crate::model::{tests::project, PolicyView};

    /// The value `assign` (an `<AssignVariable>` element's XML) gives for `request`.
    fn value(assign: &str, ignore_unresolved: bool, request: &Request) -> Lookup {
        let policy = format!("<AssignMessage name=\"A\">{assign}</AssignMessage>");
        let project = project(&[("apiproxy/policies/A.xml", &policy)]);
        let PolicyView::AssignMessage(view) = &project.bundles[0].policies[0].view else {
            panic!("an AssignMessage");
        };
        let world = World::Concrete(request);
        let state = State::new(world);
        assigned_value(&view.assign_variables[0], ignore_unresolved, world, &state)
    }

    fn text(s: &str) -> Lookup {
        Lookup::Known(Value::Str(s.to_owned()))
    }

    #[test]
    fn ref_then_template_then_the_fallback_value() {
        let mut with = Request::parse_line("GET /t?region=us").unwrap();
        with.add_header("x-user: alice").unwrap();
        let without = Request::parse_line("GET /t").unwrap();
        let by_ref = "<AssignVariable><Name>r</Name><Ref>request.queryparam.region</Ref>\
                      <Value>eu</Value></AssignVariable>";
        assert_eq!(value(by_ref, false, &with), text("us"));
        assert_eq!(value(by_ref, false, &without), text("eu"));
        let by_template = "<AssignVariable><Name>c</Name><Template>u-{request.header.x-user}\
                           </Template><Value>unset</Value></AssignVariable>";
        assert_eq!(value(by_template, false, &with), text("u-alice"));
        // Unresolved: an error unless IgnoreUnresolvedVariables reads it as "".
        assert_eq!(value(by_template, false, &without), Lookup::Unknown);
        assert_eq!(value(by_template, true, &without), text("u-"));
        let bare = "<AssignVariable><Name>c</Name><Template>{request.header.x-user}</Template>\
                    <Value>unset</Value></AssignVariable>";
        assert_eq!(value(bare, true, &without), text("unset"));
    }

    #[test]
    fn what_the_engine_cannot_know_is_unknown() {
        let request = Request::parse_line("GET /t?region=us").unwrap();
        for assign in [
            "<AssignVariable><Name>id</Name><Template>{createUuid()}</Template>\
             <Value>none</Value></AssignVariable>",
            "<AssignVariable><Name>r</Name><Ref>request.queryparam.region</Ref>\
             <Template>{request.queryparam.region}-x</Template></AssignVariable>",
            "<AssignVariable><Name>k</Name><PropertySetRef>app.key</PropertySetRef>\
             <Value>none</Value></AssignVariable>",
            "<AssignVariable><Name>s</Name><ResourceURL>oas://spec.json</ResourceURL>\
             </AssignVariable>",
            "<AssignVariable><Name>n</Name></AssignVariable>",
        ] {
            assert_eq!(value(assign, true, &request), Lookup::Unknown, "{assign}");
        }
        let unset_ref = "<AssignVariable><Name>n</Name><Ref>request.header.none</Ref>\
                         </AssignVariable>";
        assert_eq!(
            value(unset_ref, false, &request),
            Lookup::Known(Value::Null),
            "null, or left as it was: null either way"
        );
    }
}
