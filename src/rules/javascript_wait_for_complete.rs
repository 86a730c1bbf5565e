use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;

declare_rule!(
    /// A JavaScript policy's script that blocks on an HTTP call with `waitForComplete()`.
    JavascriptWaitForComplete,
    "javascript-wait-for-complete",
    Bundle,
    Warning,
    preview = true,
);

impl Rule for JavascriptWaitForComplete {
    fn check_bundle(&self, cx: &Context, bundle: BundleRef, out: &mut Vec<Diagnostic>) {
        for (resource, script) in bundle.model.scripts(&cx.project.sources) {
            for call in &script.wait_for_complete {
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        *call,
                        format!(
                            "`{}` blocks on an HTTP call with `waitForComplete()`",
                            resource.url()
                        ),
                    )
                    .primary_label("holds the message processor's thread until the response comes")
                    .help(
                        "pass a callback instead, `httpClient.send(request, onComplete)` or \
                         `httpClient.get(url, onComplete)`, as Apigee's antipattern page \
                         recommends: each waiting thread is held as long as the backend is slow, \
                         and under load the message processor runs out of them. A call whose \
                         answer is not needed (logging) needs neither",
                    ),
                );
            }
        }
    }
}
