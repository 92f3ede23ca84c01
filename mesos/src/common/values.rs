//! Mesos' `Value`s (scalar, ranges, set, text): the text syntax of
//! `--resources` and `--attributes` values, and the arithmetic and
//! comparisons Mesos defines on them (`src/common/values.cpp`).
//!
//! Scalars compare and add in fixed point with three decimals, as Mesos
//! does, so `0.1 + 0.2` equals `0.3` and results print without binary
//! noise. Ranges are kept coalesced by the operations that build them.
//!
//! The operators (`+`, `-`, `+=`, `-=`) and `Display` are implemented in
//! `mesos_protos::values`, next to the types (Rust's orphan rule); this
//! module re-exports its functions.

use stout::{Error, Try};

use mesos_protos::values::to_fixed;
pub use mesos_protos::values::{coalesce, coalesce_with};

use crate::common::validation::validate_input_scalar_value;
use crate::value::{self, Range, Ranges, Scalar, Set, Text};
use crate::Value;

/// Comparisons with Mesos' meaning, which the generated types' field by
/// field `PartialEq` does not have (fixed-point scalars, ranges in any
/// order or split, ...).
pub trait Compare {
    /// Mesos' `==`.
    fn equals(&self, other: &Self) -> bool;
    /// Mesos' `<=`: everything in `self` is in `other`.
    fn contained_in(&self, other: &Self) -> bool;
}

impl Compare for Scalar {
    fn equals(&self, other: &Scalar) -> bool {
        to_fixed(self.value) == to_fixed(other.value)
    }

    fn contained_in(&self, other: &Scalar) -> bool {
        to_fixed(self.value) <= to_fixed(other.value)
    }
}

/// The ranges as half-open intervals (`[1-1, 3-5]` is `1..2, 3..6`); an
/// error when an end is the largest `u64`, which has no half-open form.
pub fn to_intervals(ranges: &Ranges) -> Try<Vec<std::ops::Range<u64>>> {
    let mut copy = ranges.clone();
    coalesce(&mut copy);
    copy.range
        .iter()
        .map(|r| match r.end.checked_add(1) {
            Some(end) if r.begin <= r.end => Ok(r.begin..end),
            _ => Err(Error::new("Range is out of bounds")),
        })
        .collect()
}

/// Half-open intervals back to closed ranges, coalesced.
pub fn from_intervals(intervals: &[std::ops::Range<u64>]) -> Ranges {
    let mut ranges = Ranges {
        range: intervals
            .iter()
            .filter(|i| i.start < i.end)
            .map(|i| Range {
                begin: i.start,
                end: i.end - 1,
            })
            .collect(),
    };
    coalesce(&mut ranges);
    ranges
}

impl Compare for Ranges {
    fn equals(&self, other: &Ranges) -> bool {
        let (mut left, mut right) = (self.clone(), other.clone());
        coalesce(&mut left);
        coalesce(&mut right);
        left.range == right.range
    }

    fn contained_in(&self, other: &Ranges) -> bool {
        let (mut left, mut right) = (self.clone(), other.clone());
        coalesce(&mut left);
        coalesce(&mut right);
        left.range.iter().all(|l| {
            right
                .range
                .iter()
                .any(|r| r.begin <= l.begin && l.end <= r.end)
        })
    }
}

impl Compare for Set {
    /// Mesos compares sets item by item at the same position (so order
    /// matters), which this keeps.
    fn equals(&self, other: &Set) -> bool {
        self.item == other.item
    }

    fn contained_in(&self, other: &Set) -> bool {
        self.item.len() <= other.item.len() && self.item.iter().all(|i| other.item.contains(i))
    }
}

impl Compare for Text {
    fn equals(&self, other: &Text) -> bool {
        self.value == other.value
    }

    fn contained_in(&self, other: &Text) -> bool {
        self.equals(other)
    }
}

/// Parses a value as `--resources` and `--attributes` write them (Mesos'
/// `values::parse`): spaces are ignored; `[b-e, ...]` is ranges
/// (coalesced), `{a, b}` a set, a non-negative finite number a scalar,
/// anything else text.
pub fn parse(text: &str) -> Try<Value> {
    let text = text.replace(' ', "");
    if text.is_empty() {
        return Err(Error::new("Expecting non-empty string"));
    }
    if !balanced(&text) {
        return Err(Error::new("Mismatched brackets"));
    }
    if text.starts_with('[') {
        return parse_ranges(&text);
    }
    if text.contains('[') {
        return Err(Error::new("Unexpected '[' found"));
    }
    if text.starts_with('{') {
        let item = text
            .split(['{', '}', ',', '\n'])
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        return Ok(Value {
            r#type: value::Type::Set as i32,
            set: Some(Set { item }),
            ..Value::default()
        });
    }
    if text.contains('{') {
        return Err(Error::new("Unexpected '{' found"));
    }
    match parse_number(&text) {
        Some(number) => {
            validate_input_scalar_value(number)
                .map_err(|e| Error::new(format!("Invalid scalar value '{}':{}", text, e)))?;
            Ok(Value {
                r#type: value::Type::Scalar as i32,
                scalar: Some(Scalar { value: number }),
                ..Value::default()
            })
        }
        None => Ok(Value {
            r#type: value::Type::Text as i32,
            text: Some(Text { value: text }),
            ..Value::default()
        }),
    }
}

/// Whether `{}`, `[]` and `()` close in order of count (never more
/// closing than opening, all closed at the end).
fn balanced(text: &str) -> bool {
    [('{', '}'), ('[', ']'), ('(', ')')]
        .iter()
        .all(|&(open, close)| {
            let mut depth = 0i64;
            for c in text.chars() {
                if c == open {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth < 0 {
                        return false;
                    }
                }
            }
            depth == 0
        })
}

fn parse_ranges(text: &str) -> Try<Value> {
    let tokens: Vec<&str> = text
        .split(['[', ']', '-', ',', '\n'])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() % 2 != 0 {
        return Err(Error::new("Expecting one or more \"ranges\""));
    }
    let mut ranges = Ranges::default();
    for pair in tokens.chunks(2) {
        let bound = |t: &str| t.parse::<u64>().ok();
        match (bound(pair[0]), bound(pair[1])) {
            (Some(begin), Some(end)) => ranges.range.push(Range { begin, end }),
            _ => {
                return Err(Error::new(format!(
                    "Expecting non-negative integers in '{}'",
                    pair[0]
                )))
            }
        }
    }
    coalesce(&mut ranges);
    Ok(Value {
        r#type: value::Type::Ranges as i32,
        ranges: Some(ranges),
        ..Value::default()
    })
}

/// A number as C++'s stream extraction reads one (`1e3`, `.5`, `inf`,
/// `nan`), so such values are refused as scalars rather than taken as
/// text.
fn parse_number(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if ["inf", "infinity", "nan"].contains(&unsigned) {
        let sign = if lower.starts_with('-') { -1.0 } else { 1.0 };
        return Some(if unsigned == "nan" {
            f64::NAN
        } else {
            sign * f64::INFINITY
        });
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    text.parse().ok()
}
