//! Mesos' `Value`s (scalar, ranges, set, text): the text syntax of
//! `--resources` and `--attributes` values, and the arithmetic and
//! comparisons Mesos defines on them (`src/common/values.cpp`).
//!
//! Scalars compare and add in fixed point with three decimals, as Mesos
//! does, so `0.1 + 0.2` equals `0.3` and results print without binary
//! noise. Ranges are kept coalesced by the operations that build them.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use stout::{Error, Try};

use crate::common::validation::validate_input_scalar_value;
use crate::value::{self, Range, Ranges, Scalar, Set, Text};
use crate::Value;

/// A scalar in Mesos' fixed point: thousandths, rounded half away from
/// zero.
fn to_fixed(value: f64) -> i64 {
    (value * 1000.0).round() as i64
}

fn to_floating(fixed: i64) -> f64 {
    // Whole and fractional parts apart, as Mesos computes them, so the
    // doubles are the same bit for bit.
    (fixed / 1000) as f64 + (fixed % 1000) as f64 / 1000.0
}

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

impl Add for Scalar {
    type Output = Scalar;
    fn add(mut self, other: Scalar) -> Scalar {
        self += other;
        self
    }
}

impl AddAssign for Scalar {
    fn add_assign(&mut self, other: Scalar) {
        self.value = to_floating(to_fixed(self.value).saturating_add(to_fixed(other.value)));
    }
}

impl Sub for Scalar {
    type Output = Scalar;
    fn sub(mut self, other: Scalar) -> Scalar {
        self -= other;
        self
    }
}

impl SubAssign for Scalar {
    fn sub_assign(&mut self, other: Scalar) {
        self.value = to_floating(to_fixed(self.value).saturating_sub(to_fixed(other.value)));
    }
}

impl fmt::Display for Scalar {
    /// The fixed-point value with up to 15 significant digits, as C++
    /// streams print a double at that precision (`1.235`, `2`, `1e+15`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_g15(to_floating(to_fixed(self.value))))
    }
}

/// `%.15g`.
fn format_g15(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{:.14e}", value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |text: String| -> String {
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    };
    if !(-4..15).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{}{:02}",
            trim(mantissa.to_string()),
            sign,
            exponent.abs()
        )
    } else {
        let decimals = (14 - exponent).max(0) as usize;
        trim(format!("{:.*}", decimals, value))
    }
}

/// Sorts `ranges` and merges those that overlap or touch
/// (`[1-4, 3-5, 7-8, 8-10]` becomes `[1-5, 7-10]`).
pub fn coalesce(ranges: &mut Ranges) {
    let mut sorted: Vec<(u64, u64)> = ranges.range.iter().map(|r| (r.begin, r.end)).collect();
    sorted.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(sorted.len());
    for (begin, end) in sorted {
        match merged.last_mut() {
            Some(last) if begin <= last.1.saturating_add(1) => last.1 = last.1.max(end),
            _ => merged.push((begin, end)),
        }
    }
    ranges.range = merged
        .into_iter()
        .map(|(begin, end)| Range { begin, end })
        .collect();
}

/// Adds `range` to `ranges` and coalesces.
pub fn coalesce_with(ranges: &mut Ranges, range: Range) {
    ranges.range.push(range);
    coalesce(ranges);
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

impl Add for Ranges {
    type Output = Ranges;
    fn add(mut self, other: Ranges) -> Ranges {
        self += other;
        self
    }
}

impl AddAssign for Ranges {
    fn add_assign(&mut self, other: Ranges) {
        self.range.extend(other.range);
        coalesce(self);
    }
}

impl Sub for Ranges {
    type Output = Ranges;
    fn sub(mut self, other: Ranges) -> Ranges {
        self -= other;
        self
    }
}

impl SubAssign for Ranges {
    fn sub_assign(&mut self, other: Ranges) {
        let mut removed = other;
        coalesce(self);
        coalesce(&mut removed);
        let mut result = Vec::new();
        for range in &self.range {
            let mut pieces = vec![(range.begin, range.end)];
            for cut in &removed.range {
                pieces = pieces
                    .into_iter()
                    .flat_map(|(begin, end)| {
                        if cut.end < begin || cut.begin > end {
                            return vec![(begin, end)];
                        }
                        let mut left = Vec::new();
                        if cut.begin > begin {
                            left.push((begin, cut.begin - 1));
                        }
                        if cut.end < end {
                            left.push((cut.end + 1, end));
                        }
                        left
                    })
                    .collect();
            }
            result.extend(pieces);
        }
        self.range = result
            .into_iter()
            .map(|(begin, end)| Range { begin, end })
            .collect();
    }
}

impl fmt::Display for Ranges {
    /// `[31000-32000, 40000-40010]`, in stored order; `[]` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, range) in self.range.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{}-{}", range.begin, range.end)?;
        }
        f.write_str("]")
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

impl Add for Set {
    type Output = Set;
    fn add(mut self, other: Set) -> Set {
        self += other;
        self
    }
}

impl AddAssign for Set {
    fn add_assign(&mut self, other: Set) {
        for item in other.item {
            if !self.item.contains(&item) {
                self.item.push(item);
            }
        }
    }
}

impl Sub for Set {
    type Output = Set;
    fn sub(self, other: Set) -> Set {
        Set {
            item: self
                .item
                .into_iter()
                .filter(|i| !other.item.contains(i))
                .collect(),
        }
    }
}

impl SubAssign for Set {
    /// Removes one occurrence of each of `other`'s items.
    fn sub_assign(&mut self, other: Set) {
        for item in &other.item {
            if let Some(at) = self.item.iter().position(|i| i == item) {
                self.item.remove(at);
            }
        }
    }
}

impl fmt::Display for Set {
    /// `{sda1, sda2}`; `{}` when empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}", self.item.join(", "))
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

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl fmt::Display for Value {
    /// The value of its type (`2`, `[1-2]`, `{a}`, `text`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Typed {
            kind: self.r#type(),
            scalar: self.scalar.as_ref(),
            ranges: self.ranges.as_ref(),
            set: self.set.as_ref(),
            text: self.text.as_ref(),
        }
        .fmt(f)
    }
}

/// The fields a `Value` and an `Attribute` share, printed as the one
/// their type names (unset prints as empty).
pub(crate) struct Typed<'a> {
    pub(crate) kind: value::Type,
    pub(crate) scalar: Option<&'a Scalar>,
    pub(crate) ranges: Option<&'a Ranges>,
    pub(crate) set: Option<&'a Set>,
    pub(crate) text: Option<&'a Text>,
}

impl fmt::Display for Typed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            value::Type::Scalar => self.scalar.copied().unwrap_or_default().fmt(f),
            value::Type::Ranges => match self.ranges {
                Some(ranges) => ranges.fmt(f),
                None => Ranges::default().fmt(f),
            },
            value::Type::Set => match self.set {
                Some(set) => set.fmt(f),
                None => Set::default().fmt(f),
            },
            value::Type::Text => match self.text {
                Some(text) => text.fmt(f),
                None => Ok(()),
            },
        }
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
