//! The scripts of JavaScript policies: parsed with oxc into the facts the JavaScript rules need,
//! with spans into the script's file.

use crate::model::{OutboundUrl, Script, Syntax};
use crate::source::{FileId, Span};
use oxc_allocator::Allocator;
use oxc_ast::ast::{Argument, CallExpression, NewExpression, StringLiteral};
use oxc_ast_visit::{walk, Visit};
use oxc_parser::{ParseOptions, Parser};
use oxc_span::SourceType;

/// Parses `text`, the content of file `id`, as a script (not a module), as the JavaScript policy
/// runs it.
pub fn parse(id: FileId, text: &str) -> Script {
    let allocator = Allocator::default();
    // Whether Apigee accepts a `return` outside a function is not documented: leave it unjudged.
    let options = ParseOptions {
        allow_return_outside_function: true,
        ..ParseOptions::default()
    };
    let parsed = Parser::new(&allocator, text, SourceType::script())
        .with_options(options)
        .parse();
    let first_error = parsed.diagnostics.iter().next().map(|error| {
        let at = error
            .labels
            .first()
            .map_or(0, |label| label.offset() as usize)
            .min(text.len());
        (error.message.to_string(), at)
    });
    let syntax = match first_error {
        None => Syntax::Valid,
        Some((_, at)) if rhino_extension_at(text, at) => Syntax::RhinoExtension {
            span: Span::new(id, at..at),
        },
        Some((message, at)) => Syntax::Invalid {
            message,
            span: Span::new(id, at..at),
        },
    };
    let mut calls = Calls {
        id,
        wait_for_complete: Vec::new(),
        outbound_urls: Vec::new(),
    };
    calls.visit_program(&parsed.program);
    Script {
        syntax,
        wait_for_complete: calls.wait_for_complete,
        outbound_urls: calls.outbound_urls,
    }
}

/// True when the parser stopped at syntax that only Rhino, which runs the JavaScript policy on
/// Apigee Edge, reads: E4X (`ns::name`, `x.@attr`, `x..child`, `x.*`, `x.(filter)`, XML
/// literals, `default xml namespace`) or `for each`. Such a script is not judged.
fn rhino_extension_at(text: &str, at: usize) -> bool {
    let rest = &text[at..];
    let before = text[..at].trim_end();
    rest.starts_with("::")
        || rest.starts_with('@')
        || rest.starts_with("(@")
        || rest.starts_with('<')
        || rest.starts_with("default xml namespace")
        || (rest.starts_with("each") && before.ends_with("for"))
        || ((rest.starts_with('.') || rest.starts_with('*')) && before.ends_with('.'))
}

/// Collects the calls the rules look for.
struct Calls {
    id: FileId,
    wait_for_complete: Vec<Span>,
    outbound_urls: Vec<OutboundUrl>,
}

impl Calls {
    fn span(&self, span: oxc_span::Span) -> Span {
        Span::new(self.id, span.start as usize..span.end as usize)
    }

    fn outbound(&mut self, argument: Option<&Argument>) {
        if let Some(literal) = argument.and_then(string_literal) {
            self.outbound_urls.push(OutboundUrl {
                url: literal.value.to_string(),
                span: self.span(literal.span),
            });
        }
    }
}

fn string_literal<'b>(argument: &'b Argument) -> Option<&'b StringLiteral<'b>> {
    match argument {
        Argument::StringLiteral(literal) => Some(literal),
        _ => None,
    }
}

impl<'a> Visit<'a> for Calls {
    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if call.callee_name() == Some("waitForComplete") {
            self.wait_for_complete.push(self.span(call.span));
        }
        let arguments = &call.arguments;
        if ["get", "send"]
            .iter()
            .any(|method| call.callee.is_specific_member_access("httpClient", method))
        {
            self.outbound(arguments.first());
        }
        let sets_target_url = arguments
            .first()
            .and_then(string_literal)
            .is_some_and(|name| name.value == "target.url");
        if call.callee_name() == Some("setVariable") && sets_target_url {
            self.outbound(arguments.get(1));
        }
        walk::walk_call_expression(self, call);
    }

    fn visit_new_expression(&mut self, new: &NewExpression<'a>) {
        if new.callee.is_specific_id("Request") {
            self.outbound(new.arguments.first());
        }
        walk::walk_new_expression(self, new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(text: &str) -> Syntax {
        parse(FileId(0), text).syntax
    }

    #[test]
    fn a_syntax_error_is_the_first_with_its_place() {
        let Syntax::Invalid { message, span } = syntax("var a = 1;\nvar b = a * ;\n") else {
            panic!("expected a syntax error");
        };
        assert_eq!(message, "Unexpected token");
        assert_eq!(span.range(), 23..23);
    }

    #[test]
    fn rhino_extensions_are_not_judged() {
        for text in [
            "var t = rss.channel.yweather::condition;",
            "var t = rss.channel.item.@temp;",
            "var x = <a><b/></a>;",
            "for each (var v in list) { f(v); }",
            "var n = x..item;",
            "var n = x.*;",
            "var n = x.(@id == 1);",
            "default xml namespace = 'urn:a';",
        ] {
            assert!(
                matches!(syntax(text), Syntax::RhinoExtension { .. }),
                "{text}"
            );
        }
    }

    #[test]
    fn rhino_and_modern_scripts_parse() {
        for text in [
            "const a = 1; let b = [a].map(x => x * 2);",
            "return;",
            "var s = `t ${1}`;",
        ] {
            assert!(matches!(syntax(text), Syntax::Valid), "{text}");
        }
    }

    #[test]
    fn urls_the_script_calls_out_to_are_found() {
        let text = "httpClient.get('https://a.example/x');\n\
                    httpClient.send(new Request(\"https://b.example\", 'POST'));\n\
                    context.setVariable('target.url', 'https://c.example');\n\
                    context.setVariable('other', 'https://d.example');\n\
                    httpClient.send(req);\n\
                    var html = 'https://e.example';\n";
        let script = parse(FileId(0), text);
        let urls: Vec<(&str, &str)> = script
            .outbound_urls
            .iter()
            .map(|u| (u.url.as_str(), &text[u.span.range()]))
            .collect();
        assert_eq!(
            urls,
            [
                ("https://a.example/x", "'https://a.example/x'"),
                ("https://b.example", "\"https://b.example\""),
                ("https://c.example", "'https://c.example'"),
            ]
        );
    }

    #[test]
    fn every_wait_for_complete_call_is_found() {
        let text = "var e = httpClient.send(r);\ne.waitForComplete();\nwaitForComplete(100);\n";
        let script = parse(FileId(0), text);
        let calls: Vec<&str> = script
            .wait_for_complete
            .iter()
            .map(|span| &text[span.range()])
            .collect();
        assert_eq!(calls, ["e.waitForComplete()", "waitForComplete(100)"]);
    }
}
