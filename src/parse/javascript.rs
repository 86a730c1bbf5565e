//! The scripts of JavaScript policies: parsed with oxc into the facts the JavaScript rules need,
//! with spans into the script's file.

use crate::model::{Script, Syntax};
use crate::source::{FileId, Span};
use oxc_allocator::Allocator;
use oxc_ast::ast::CallExpression;
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
    };
    calls.visit_program(&parsed.program);
    Script {
        syntax,
        wait_for_complete: calls.wait_for_complete,
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
}

impl<'a> Visit<'a> for Calls {
    fn visit_call_expression(&mut self, call: &CallExpression<'a>) {
        if call.callee_name() == Some("waitForComplete") {
            let span = call.span;
            self.wait_for_complete
                .push(Span::new(self.id, span.start as usize..span.end as usize));
        }
        walk::walk_call_expression(self, call);
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
