//! A rule of the unit tests only, registered in their build: it proves end to end that the
//! configuration and the command line reach a rule (preview, the profile, options).

use super::{declare_rule, BundleRef, Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::model::Policy;
use serde::{Deserialize, Serialize};

declare_rule!(
    /// Flags policies, saying which profile it was told.
    Probe,
    "test-probe",
    Bundle,
    Info,
    preview = true,
    options = ProbeOptions,
    page = PAGE,
);

const PAGE: &str = "# test-probe

Flags a policy whose name is longer than allowed.

## Options

- `allowed-prefixes` (array, default `[]`): policies whose name starts with one of these are
  never flagged.
- `max-name-length` (integer, default `0`): the longest name that is not flagged.

## Suppressing
";

#[derive(Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProbeOptions {
    allowed_prefixes: Vec<String>,
    max_name_length: usize,
}

impl Rule for Probe {
    fn check_policy(&self, cx: &Context, _: BundleRef, policy: &Policy, out: &mut Vec<Diagnostic>) {
        let options = Self::options(cx);
        let allowed = options.allowed_prefixes.iter().any(|p| policy.name.starts_with(p));
        if allowed || policy.name.len() <= options.max_name_length {
            return;
        }
        let profile = cx.profile.map_or("none", |p| p.as_str());
        let message = format!("policy `{}`, profile {profile}", policy.name);
        out.push(Diagnostic::new(&Self::META, policy.name_span, message));
    }
}

#[cfg(test)]
mod tests {
    use super::{Probe, PAGE};
    use crate::parse::load::load;
    use crate::rules::options::page_mismatches;
    use crate::catalog::Profile;
    use crate::settings::{ConfigChoice, Options, Settings};
    use std::path::PathBuf;

    /// Scratch folders, removed when the test ends.
    struct Scratch(Vec<PathBuf>);

    impl Drop for Scratch {
        fn drop(&mut self) {
            for dir in &self.0 {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    /// A scratch folder holding one bundle with one policy, and `oauthlint.toml` with `config`
    /// when it is given.
    fn project(name: &str, config: Option<&str>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("oauthlint-probe-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("apiproxy/policies")).unwrap();
        std::fs::write(dir.join("apiproxy/policies/AM-One.xml"), "<AssignMessage name=\"AM-One\"/>").unwrap();
        if let Some(config) = config {
            std::fs::write(dir.join("oauthlint.toml"), config).unwrap();
        }
        dir
    }

    fn options(paths: &[PathBuf]) -> Options<'_> {
        Options {
            paths,
            config: ConfigChoice::Discover,
            select: None,
            ignore: &[],
            levels: &[],
            preview: false,
            profile: None,
            baseline: None,
            threads: None,
        }
    }

    /// Whether the probe runs at all.
    fn probe_runs(paths: &[PathBuf], settings: &Settings) -> bool {
        let project = load(paths, None, &|_| false, 1);
        let plan = settings.plan(&project);
        plan.rules.iter().any(|(r, _)| r.meta().name == "test-probe")
    }

    /// The messages of the probe's findings.
    fn probe_messages(paths: &[PathBuf], settings: &Settings) -> Vec<String> {
        let project = load(paths, None, &|_| false, 1);
        crate::lint(&project, settings)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "test-probe")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_preview_rule_is_off_and_not_run_until_turned_on() {
        let bare = [project("bare", None)];
        let _scratch = Scratch(bare.to_vec());
        let settings = Settings::new(&options(&bare)).unwrap();
        assert!(!probe_runs(&bare, &settings));

        let preview = Settings::new(&Options { preview: true, ..options(&bare) }).unwrap();
        assert_eq!(probe_messages(&bare, &preview), ["policy `AM-One`, profile none"]);
        let select = ["test-probe".to_owned()];
        let selected = Settings::new(&Options { select: Some(&select), ..options(&bare) }).unwrap();
        assert_eq!(probe_messages(&bare, &selected).len(), 1);

        for (name, config) in [
            ("preview", "preview = true"),
            ("named", "[rules]\ntest-probe = { }"),
            ("level", "[rules]\ntest-probe = \"warning\""),
            ("override", "[[overrides]]\nfiles = [\"apiproxy\"]\nrules = { test-probe = \"error\" }"),
        ] {
            let paths = [project(name, Some(config))];
            let _scratch = Scratch(paths.to_vec());
            let settings = Settings::new(&options(&paths)).unwrap();
            assert_eq!(probe_messages(&paths, &settings).len(), 1, "{config}");
        }
        let off = [project("off", Some("preview = true\n[rules]\ntest-probe = \"off\""))];
        let _scratch_off = Scratch(off.to_vec());
        assert!(!probe_runs(&off, &Settings::new(&options(&off)).unwrap()));
    }

    #[test]
    fn the_profile_reaches_the_rules_and_the_command_line_wins() {
        let paths = [project("profile", Some("profile = \"hybrid\"\npreview = true"))];
        let _scratch = Scratch(paths.to_vec());
        let settings = Settings::new(&options(&paths)).unwrap();
        assert_eq!(probe_messages(&paths, &settings), ["policy `AM-One`, profile hybrid"]);
        let edge = Settings::new(&Options { profile: Some(Profile::Edge), ..options(&paths) }).unwrap();
        assert_eq!(probe_messages(&paths, &edge), ["policy `AM-One`, profile edge"]);
    }

    #[test]
    fn two_configuration_files_must_agree_on_the_profile() {
        let agree = [project("agree-a", Some("profile = \"x\"")), project("agree-b", Some("profile = \"x\"\npreview = true"))];
        let _scratch_agree = Scratch(agree.to_vec());
        assert!(Settings::new(&options(&agree)).is_ok());
        let one = [project("one-a", Some("profile = \"x\"")), project("one-b", Some("preview = true"))];
        let _scratch_one = Scratch(one.to_vec());
        let settings = Settings::new(&options(&one)).unwrap();
        assert_eq!(probe_messages(&one[1..], &settings), ["policy `AM-One`, profile x"]);

        let differ = [project("differ-a", Some("profile = \"x\"")), project("differ-b", Some("profile = \"edge\""))];
        let _scratch_differ = Scratch(differ.to_vec());
        let error = Settings::new(&options(&differ)).err().expect("an error");
        let shown = format!("{error:?}");
        assert!(shown.contains("`profile` differs from `") && shown.contains("which sets it to \"x\""), "{shown}");
        // The command line settles it.
        assert!(Settings::new(&Options { profile: Some(Profile::X), ..options(&differ) }).is_ok());
    }

    #[test]
    fn options_are_read_from_the_configuration_and_merge_option_by_option() {
        let messages = |config: &str| {
            let paths = [project("options", Some(config))];
            let _scratch = Scratch(paths.to_vec());
            probe_messages(&paths, &Settings::new(&options(&paths)).unwrap())
        };
        assert_eq!(messages("preview = true").len(), 1);
        assert_eq!(messages("[rules]\ntest-probe = { max-name-length = 5 }").len(), 1);
        assert!(messages("[rules]\ntest-probe = { max-name-length = 6 }").is_empty());
        assert!(messages("[rules]\ntest-probe = { level = \"error\", allowed-prefixes = [\"AM-\"] }").is_empty());

        // One file sets the length, the other the prefixes: both hold.
        let both = [
            project("length", Some("[rules]\ntest-probe = { max-name-length = 6 }")),
            project("prefixes", Some("[rules]\ntest-probe = { allowed-prefixes = [\"X-\"] }")),
        ];
        let _scratch = Scratch(both.to_vec());
        assert!(probe_messages(&both, &Settings::new(&options(&both)).unwrap()).is_empty());

        let differ = [
            project("six", Some("[rules]\ntest-probe = { max-name-length = 6 }")),
            project("seven", Some("[rules]\ntest-probe = { max-name-length = 7 }")),
        ];
        let _scratch_differ = Scratch(differ.to_vec());
        let error = format!("{:?}", Settings::new(&options(&differ)).err().expect("an error"));
        assert!(
            error.contains("option `max-name-length` of `test-probe` differs from `")
                && error.contains("which sets it to 6"),
            "{error}"
        );
    }

    #[test]
    fn options_are_listed_from_the_type_and_the_page() {
        let listed = serde_json::to_value(Probe::META.options()).unwrap();
        assert_eq!(
            listed,
            serde_json::json!([
                {
                    "name": "allowed-prefixes",
                    "type": "array",
                    "default": [],
                    "description": "policies whose name starts with one of these are never flagged."
                },
                {
                    "name": "max-name-length",
                    "type": "integer",
                    "default": 0,
                    "description": "the longest name that is not flagged."
                }
            ])
        );
        assert_eq!(page_mismatches(PAGE, &Probe::META.options), Vec::<String>::new());
        let wrong = PAGE
            .replace("(integer, default `0`)", "(string, default `1`)")
            .replace("- `allowed-prefixes`", "- `allowed-prefix`");
        assert_eq!(
            page_mismatches(&wrong, &Probe::META.options),
            [
                "option `allowed-prefixes` is not described",
                "option `max-name-length` is of type integer, not string",
                "the default of `max-name-length` is `0`, not `1`",
                "`allowed-prefix` is described but is no option",
            ]
        );
    }
}
