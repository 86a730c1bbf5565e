//! Runtime values and the coercion rules of [AX-COND] (reference §5.4).
//!
//! * number vs number: Java binary numeric promotion (double > float > long/int).
//! * anything vs string: string comparison against the other side's Java `toString`
//!   (✔), so `"400" = 400` is true and `"0400" = 400` false. `Int`/`Long`/`Bool` have
//!   one exact `toString`; a `Float`/`Double`'s depends on the JDK's float printing,
//!   so a string that reads back as the same number gives `Unknown` (any other string
//!   cannot equal it: `toString` always reads back as the same number).
//! * bool vs number: the doc lists Boolean among the widened types but not its numeric
//!   value: `Unknown`.
//! * relational operators with a string: the documented string comparison is
//!   presumably `compareTo` (lexicographic, ○), while a numeric string may well be
//!   compared as a number. Both readings are computed and an answer is given only when
//!   they agree: `"500" > 400` is true, `"1000" > 400` and `"abc" < "b"` are `Unknown`.
//!   Booleans: undocumented, `Unknown`.
//! * NaN and `-0.0` vs `0.0` depend on whether the runtime compares primitives or
//!   boxed objects: `Unknown`.

use std::cmp::Ordering;

use super::ast::Number;
use super::truth::Truth;

/// A flow variable's or literal's value. `Null` is an unset variable or `null`.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Bool(bool),
    Int(i64),
    Long(i64),
    Float(f32),
    Double(f64),
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        match n {
            Number::Int(i) => Value::Int(i),
            Number::Long(i) => Value::Long(i),
            Number::Float(x) => Value::Float(x),
            Number::Double(x) => Value::Double(x),
        }
    }
}

/// A number after Java binary numeric promotion of a pair.
#[derive(Clone, Copy)]
enum Promoted {
    Integral(i64, i64),
    Float(f32, f32),
    Double(f64, f64),
}

fn promote(a: &Value, b: &Value) -> Option<Promoted> {
    use Value::*;
    let as_f64 = |v: &Value| match *v {
        Int(i) | Long(i) => Some(i as f64),
        Float(x) => Some(f64::from(x)),
        Double(x) => Some(x),
        _ => None,
    };
    let as_f32 = |v: &Value| match *v {
        Int(i) | Long(i) => Some(i as f32),
        Float(x) => Some(x),
        _ => None,
    };
    Some(match (a, b) {
        (Int(x) | Long(x), Int(y) | Long(y)) => Promoted::Integral(*x, *y),
        (Double(_), _) | (_, Double(_)) => Promoted::Double(as_f64(a)?, as_f64(b)?),
        _ => Promoted::Float(as_f32(a)?, as_f32(b)?),
    })
}

/// Ordering for the relational operators; `None` where it is not settled.
pub(super) fn values_order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Null | Value::Bool(_), _) | (_, Value::Null | Value::Bool(_)) => None,
        (Value::Str(_), _) | (_, Value::Str(_)) => {
            // Java's `compareTo` orders UTF-16 code units.
            let lexical = exact_string(a)?
                .encode_utf16()
                .cmp(exact_string(b)?.encode_utf16());
            let numeric = numeric_order(&as_number(a)?, &as_number(b)?)?;
            (lexical == numeric).then_some(lexical)
        }
        _ => numeric_order(a, b),
    }
}

/// The one `toString` of a string or integral value.
fn exact_string(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) | Value::Long(i) => Some(i.to_string()),
        _ => None,
    }
}

/// A number, or a string written as a plain decimal number (`-?d+(.d+)?`).
fn as_number(v: &Value) -> Option<Value> {
    let Value::Str(s) = v else {
        return Some(v.clone());
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        None if digits(unsigned) => s.parse().ok().map(Value::Long),
        Some((int, frac)) if digits(int) && digits(frac) => s.parse().ok().map(Value::Double),
        _ => None,
    }
}

/// Ordering of two numbers after promotion; `None` for non-numbers, NaN and signed
/// zeros.
fn numeric_order(a: &Value, b: &Value) -> Option<Ordering> {
    fn float_order(x: f64, y: f64) -> Option<Ordering> {
        let signed_zeros = x == 0.0 && y == 0.0 && x.is_sign_negative() != y.is_sign_negative();
        if signed_zeros {
            return None;
        }
        x.partial_cmp(&y)
    }
    match promote(a, b)? {
        Promoted::Integral(x, y) => Some(x.cmp(&y)),
        Promoted::Float(x, y) => float_order(f64::from(x), f64::from(y)),
        Promoted::Double(x, y) => float_order(x, y),
    }
}

/// A non-string operand as the string it is compared as.
enum AsString {
    Exact(String),
    /// A float: its `toString` is only known up to the JDK's digit selection.
    Float {
        value: f64,
        single: bool,
    },
}

fn java_to_string(v: &Value) -> Option<AsString> {
    Some(match v {
        Value::Str(s) => AsString::Exact(s.clone()),
        Value::Bool(b) => AsString::Exact(b.to_string()),
        Value::Int(i) | Value::Long(i) => AsString::Exact(i.to_string()),
        Value::Float(x) => AsString::Float {
            value: f64::from(*x),
            single: true,
        },
        Value::Double(x) => AsString::Float {
            value: *x,
            single: false,
        },
        Value::Null => return None,
    })
}

/// `s` against a float's Java `toString`. Every JDK prints `NaN`, `Infinity`,
/// `-Infinity`, or `-?d+.d+(E-?d+)?` reading back as the same number; only the digits
/// chosen vary between JDKs, so a same-number string in that shape is `Unknown`.
fn string_vs_float(s: &str, x: f64, single: bool, ignore_case: bool) -> Truth {
    let eq = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if !x.is_finite() {
        let java = if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        return Truth::from(eq(s, java));
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match s.find(|c| c == 'E' || (ignore_case && c == 'e')) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let java_shaped = mantissa
        .strip_prefix('-')
        .unwrap_or(mantissa)
        .split_once('.')
        .is_some_and(|(int, frac)| digits(int) && digits(frac))
        && exponent.is_none_or(|e| digits(e.strip_prefix('-').unwrap_or(e)));
    let same_number = if single {
        s.parse::<f32>().is_ok_and(|y| f64::from(y) == x)
    } else {
        s.parse::<f64>().is_ok_and(|y| y == x)
    };
    if java_shaped && same_number {
        Truth::Unknown
    } else {
        Truth::False
    }
}

/// Equality of two non-null values (`=`), case-sensitive.
pub(super) fn values_equal(a: &Value, b: &Value) -> Truth {
    equal_with(a, b, false)
}

/// Equality ignoring case (`:=`).
pub(super) fn values_equal_ignore_case(a: &Value, b: &Value) -> Truth {
    equal_with(a, b, true)
}

/// Java's `equalsIgnoreCase`: equal UTF-16 lengths, then per code unit equal after
/// upper- or lower-casing. Only ASCII units are folded here; a differing pair with a
/// non-ASCII unit (`ſ` vs `S`, `K` (Kelvin) vs `k`, …) is `Unknown`.
fn equals_ignore_case(a: &str, b: &str) -> Truth {
    if a.encode_utf16().count() != b.encode_utf16().count() {
        return Truth::False;
    }
    a.encode_utf16()
        .zip(b.encode_utf16())
        .fold(Truth::True, |acc, (x, y)| {
            let pair = match (u8::try_from(x), u8::try_from(y)) {
                _ if x == y => Truth::True,
                (Ok(x), Ok(y)) if x.is_ascii() && y.is_ascii() => {
                    Truth::from(x.eq_ignore_ascii_case(&y))
                }
                _ => Truth::Unknown,
            };
            acc.and(pair)
        })
}

fn equal_with(a: &Value, b: &Value, ignore_case: bool) -> Truth {
    match (a, b) {
        (Value::Null, _) | (_, Value::Null) => Truth::Unknown,
        (Value::Str(s), other) | (other, Value::Str(s)) => match java_to_string(other) {
            Some(AsString::Exact(t)) if ignore_case => equals_ignore_case(s, &t),
            Some(AsString::Exact(t)) => Truth::from(*s == t),
            Some(AsString::Float { value, single }) => {
                string_vs_float(s, value, single, ignore_case)
            }
            None => Truth::Unknown,
        },
        (Value::Bool(x), Value::Bool(y)) => Truth::from(x == y),
        (Value::Bool(_), _) | (_, Value::Bool(_)) => Truth::Unknown,
        _ => match numeric_order(a, b) {
            Some(o) => Truth::from(o == Ordering::Equal),
            None => Truth::Unknown,
        },
    }
}
