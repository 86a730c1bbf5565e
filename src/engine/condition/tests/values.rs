//! Coercion between strings, numbers and booleans (reference §5.4) and case rules.

use super::*;
use Truth::{False as F, True as T, Unknown as U};

fn env() -> MapEnv {
    MapEnv::new()
        .with("code_str", s("400"))
        .with("code_int", Value::Int(400))
        .with("code_long", Value::Long(400))
        .with("code_double", Value::Double(400.0))
        .with("code_float", Value::Float(400.0))
        .with("padded", s("0400"))
        .with("flag", Value::Bool(true))
        .with("flag_str", s("true"))
        .with("flag_str_upper", s("TRUE"))
        .with("verb", s("POST"))
        .with("POST", s("POST"))
        .with("half_str", s("1.5"))
        .with("nan", Value::Double(f64::NAN))
        .with("neg_zero", Value::Double(-0.0))
        .with("text", s("abc"))
        .with("unicode", s("Ärger"))
}

#[test]
fn coercion_table() {
    let env = env();
    for (text, expected) in [
        // A string variable against a number literal compares as strings.
        ("code_str = 400", T),
        ("code_str = \"400\"", T),
        ("code_str == 400", T),
        ("code_str = 401", F),
        ("code_str != 400", F),
        ("padded = 400", F),
        ("padded = \"400\"", F),
        ("code_str = 400L", T),
        // A float's toString depends on the JDK: equal numbers are Unknown, others false.
        ("code_str = 400.0", F),
        ("half_str = 1.5", U),
        ("half_str = 1.5f", U),
        ("half_str = 2.5", F),
        ("text = 1.5", F),
        // Numbers widen.
        ("code_int = 400", T),
        ("code_int = 400L", T),
        ("code_int = 400.0", T),
        ("code_long = 400f", T),
        ("code_double = 400", T),
        ("code_float = 400.0d", T),
        ("code_int = \"400\"", T),
        ("code_double = \"400\"", F),
        ("code_double = \"400.0\"", U),
        ("code_double = \"4.0E2\"", U),
        ("code_double := \"4.0e2\"", U),
        ("code_double = \"4.0e2\"", F),
        ("code_double = \"+400.0\"", F),
        ("nan = \"NaN\"", T),
        ("nan := \"nan\"", T),
        ("nan = \"nan\"", F),
        ("1.1f = 1.1", F),
        ("1.5f = 1.5", T),
        ("16777217 = 16777216f", T),
        ("code_int > 399", T),
        ("code_int >= 400.0", T),
        ("code_int < 400.5", T),
        ("code_double <= 399", F),
        ("code_long GreaterThan 3.5f", T),
        ("-1 < 0", T),
        ("nan = nan", U),
        ("nan > 1", U),
        ("neg_zero = 0", U),
        ("neg_zero = -0.5", F),
        // Relational comparison with strings: answered only where the lexicographic and
        // the numeric readings agree.
        ("code_str > 399", T),
        ("code_str >= 400", T),
        ("code_str < 400", F),
        ("code_str GreaterThan \"200\"", T),
        ("code_str < 1000", U),
        ("padded > 399", U),
        ("code_str > 399.5", U),
        ("half_str < 2", T),
        ("half_str < 10", T),
        ("\"-5\" < \"-4\"", U),
        ("text < \"b\"", U),
        ("text > 5", U),
        ("flag > 0", U),
        // Booleans against strings compare with "true"/"false".
        ("flag = true", T),
        ("flag = \"true\"", T),
        ("flag = \"TRUE\"", F),
        ("flag := \"TRUE\"", T),
        ("flag_str = true", T),
        ("flag_str = false", F),
        ("flag_str_upper = true", F),
        ("flag_str_upper := true", T),
        ("flag = false", F),
        ("flag != false", T),
        ("flag = 1", U),
        // Case: every operator is case-sensitive except `:=`.
        ("verb = \"post\"", F),
        ("verb := \"post\"", T),
        ("verb EqualsCaseInsensitive \"pOsT\"", T),
        ("verb := \"put\"", F),
        ("verb =| \"PO\"", T),
        ("verb =| \"po\"", F),
        ("verb ~ \"P*\"", T),
        ("verb ~ \"p*\"", F),
        ("verb ~~ \"P.*\"", T),
        ("verb ~~ \"p.*\"", F),
        ("unicode := \"ärger\"", U),
        ("unicode := \"Ärger\"", T),
        ("unicode := \"other\"", F),
        ("unicode := \"Ärgerlich\"", F),
        // An unquoted right-hand word is a variable reference.
        ("verb = POST", T),
        ("verb = GET", F),
        ("verb = 'POST'", T),
        // String operators on non-strings are undocumented.
        ("code_int =| \"4\"", U),
        ("code_int ~ \"4*\"", U),
        // Pattern operators with a variable pattern are undocumented.
        ("verb ~ POST", U),
        ("verb ~~ POST", U),
        ("verb ~/ POST", U),
        ("verb =| POST", T),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}

#[test]
fn bare_operands() {
    let env = env().with("off", Value::Bool(false)).unknown("unk");
    for (text, expected) in [
        ("true", T),
        ("FALSE", F),
        ("flag", T),
        ("off", F),
        ("!flag", F),
        ("not off", T),
        ("flag_str", U),
        ("unset", U),
        ("unk", U),
        ("\"true\"", U),
        ("1", U),
        ("null", U),
        ("flag and off", F),
    ] {
        assert_eq!(ev(text, &env), expected, "{text}");
    }
}
