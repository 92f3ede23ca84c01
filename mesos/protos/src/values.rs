//! Mesos' arithmetic and printing of values (`mesos::common::values`
//! re-exports what is public, and has the rest: parsing, comparisons):
//! scalars in fixed point with three decimals, ranges coalesced, sets.
//! They live here because Rust lets only the crate that defines a type
//! implement `Add` or `Display` for it.

use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};

use crate::mesos::value::{self, Range, Ranges, Scalar, Set, Text};
use crate::mesos::Value;

/// A scalar in Mesos' fixed point: thousandths, rounded half away from
/// zero.
pub fn to_fixed(value: f64) -> i64 {
    (value * 1000.0).round() as i64
}

fn to_floating(fixed: i64) -> f64 {
    // Whole and fractional parts apart, as Mesos computes them, so the
    // doubles are the same bit for bit.
    (fixed / 1000) as f64 + (fixed % 1000) as f64 / 1000.0
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
