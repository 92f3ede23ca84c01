//! Mesos' ValuesTest (src/tests/values_tests.cpp).

use std::fmt::Display;

use mesos::common::values::{self, Compare};
use mesos::value::{Range, Ranges, Scalar, Set, Type};
use mesos::Value;

/// `parse(text).get()`.
fn parse(text: &str) -> Value {
    values::parse(text).expect(text)
}

/// `parse(text)->ranges()`.
fn ranges(text: &str) -> Ranges {
    parse(text).ranges.expect("ranges")
}

/// `parse(text)->set()`.
fn set(text: &str) -> Set {
    parse(text).set.expect("a set")
}

/// `EXPECT_EQ(left, right)` with Mesos' `operator==` (which, for ranges,
/// coalesces both sides first).
#[track_caller]
fn assert_equals<T: Compare + Display>(left: &T, right: &T) {
    assert!(left.equals(right), "{left} != {right}");
}

/// Ranges with the given closed `(begin, end)` bounds, in this order and
/// not coalesced, as the upstream tests build them with `add_range()`.
fn explicit(bounds: &[(u64, u64)]) -> Ranges {
    Ranges {
        range: bounds
            .iter()
            .map(|&(begin, end)| Range { begin, end })
            .collect(),
    }
}

#[test]
fn valid_input() {
    // Test parsing scalar type.
    let result1 = parse("45.55");
    assert_eq!(Type::Scalar, result1.r#type());
    assert_eq!(45.55, result1.scalar.expect("scalar").value);

    // Test parsing ranges type.
    let result2 = parse("[10000-20000, 30000-50000]");
    assert_eq!(Type::Ranges, result2.r#type());
    let ranges2 = result2.ranges.expect("ranges");
    assert_eq!(2, ranges2.range.len());
    assert_eq!(10000, ranges2.range[0].begin);
    assert_eq!(20000, ranges2.range[0].end);
    assert_eq!(30000, ranges2.range[1].begin);
    assert_eq!(50000, ranges2.range[1].end);

    // Test parsing set type.
    let result3 = parse("{sda1, sda2}");
    assert_eq!(Type::Set, result3.r#type());
    let set3 = result3.set.expect("set");
    assert_eq!(2, set3.item.len());
    assert_eq!("sda1", set3.item[0]);
    assert_eq!("sda2", set3.item[1]);

    // Test parsing text type.
    let result4 = parse("123abc,s");
    assert_eq!(Type::Text, result4.r#type());
    assert_eq!("123abc,s", result4.text.expect("text").value);
}

#[test]
fn invalid_input() {
    // Test when '{' doesn't match.
    assert!(values::parse("{aa,b}}").is_err());

    // Test when '[' doesn't match.
    assert!(values::parse("[1-2]]").is_err());

    // Test when range is not numeric.
    assert!(values::parse("[1-2b]").is_err());

    // Test when giving empty string.
    assert!(values::parse("  ").is_err());

    assert!(values::parse("nan").is_err());
    assert!(values::parse("-nan").is_err());

    assert!(values::parse("inf").is_err());
    assert!(values::parse("-inf").is_err());

    assert!(values::parse("infinity").is_err());
    assert!(values::parse("-infinity").is_err());
}

#[test]
fn set_subtraction() {
    let mut set1 = set("{sda1, sda2, sda3}");
    let set2 = set("{sda2, sda3}");
    let mut set3 = set("{sda4}");

    set1 -= set2;

    assert_equals(&set1, &set("{sda1}"));

    set3 -= set1;

    assert_equals(&set3, &set("{sda4}"));
}

// Test a simple range parse.
#[test]
fn ranges_parse() {
    let ranges1 = explicit(&[(1, 10)]);

    let parsed = ranges("[1-10]");

    assert_equals(&ranges1, &parsed);
}

// Unit test coalescing given ranges.
#[test]
fn ranges_coalesce() {
    // Multiple overlap with explicit coalesce.
    // Explicitly construct [1-4, 3-5, 7-8, 8-10].
    let mut ranges1 = explicit(&[(1, 4), (3, 5), (7, 8), (8, 10)]);

    values::coalesce(&mut ranges1);

    // Should be [1-5, 7-10].
    assert_eq!(2, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(5, ranges1.range[0].end);
    assert_eq!(7, ranges1.range[1].begin);
    assert_eq!(10, ranges1.range[1].end);
}

// Test coalescing given ranges via parse.
// Note: As the == operator triggers coalesce as well, we should
// check the number of ranges explicitly.
#[test]
fn ranges_coalesce_parse() {
    // Test multiple ranges against explicitly constructed.
    let expected = explicit(&[(1, 10)]);
    let parsed = ranges("[4-6, 6-8, 5-9, 3-4, 2-5, 4-6, 1-1, 10-10, 4-6]");

    assert_equals(&expected, &parsed);
    assert_eq!(1, parsed.range.len());

    for (text, coalesced, count) in [
        // Simple overlap.
        ("[4-6, 6-8]", "[4-8]", 1),
        // Simple overlap unordered.
        ("[6-8, 4-6]", "[4-8]", 1),
        // Subsumed range.
        ("[1-10, 8-10]", "[1-10]", 1),
        // Completely subsumed.
        ("[1-11, 8-10]", "[1-11]", 1),
        // Multiple overlapping ranges.
        ("[1-4, 4-5, 7-8, 8-10]", "[1-5, 7-10]", 2),
        // Multiple overlap mixed.
        ("[7-8, 1-4, [8-10], 4-5]", "[1-5, 7-10]", 2),
        // Simple neighboring with overlap.
        ("[4-6, 7-8]", "[4-8]", 1),
        // Single neighbouring.
        ("[4-6, 7-7]", "[4-7]", 1),
        // Multiple ranges coalescing into a single one.
        ("[4-6, 7-7, 8-8, 9-9]", "[4-9]", 1),
        // Multiple ranges coalescing into multiple ranges.
        ("[4-6, 7-7, 9-10, 9-11]", "[4-7, 9-11]", 2),
        // Multiple duplicates.
        ("[6-8, 6-8, 4-6, 6-8]", "[4-8]", 1),
    ] {
        let parsed = ranges(text);
        let expected = ranges(coalesced);

        assert_equals(&parsed, &expected);
        assert_eq!(count, parsed.range.len(), "{text} parsed as {parsed}");
    }
}

// Test adding a new range to an existing coalesced range.
// Note: As the == operator triggers coalesce as well, we should
// check the number of ranges explicitly.
#[test]
fn add_range_coalesce() {
    // Multiple overlap with explicit coalesce.
    // Explicitly construct [1-4, 8-10].
    let mut ranges1 = explicit(&[(1, 4), (8, 10)]);

    // Range [4-8].
    values::coalesce_with(&mut ranges1, Range { begin: 4, end: 8 });

    // Should be coalesced to [1-10].
    assert_eq!(1, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(10, ranges1.range[0].end);

    // Multiple neighboring with explicit coalesce.
    // Range [5-7].
    values::coalesce_with(&mut ranges1, Range { begin: 5, end: 7 });

    // Should be coalesced to [1-10].
    assert_eq!(1, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(10, ranges1.range[0].end);

    // Completely subsumed.
    // Range [5-7] (as before).
    values::coalesce_with(&mut ranges1, Range { begin: 5, end: 7 });

    // Should be coalesced to [1-10].
    assert_eq!(1, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(10, ranges1.range[0].end);

    // None overlapping.
    // Range [20-21].
    values::coalesce_with(&mut ranges1, Range { begin: 20, end: 21 });

    // Should be coalesced to [1-10, 20-21].
    assert_eq!(2, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(10, ranges1.range[0].end);
    assert_eq!(20, ranges1.range[1].begin);
    assert_eq!(21, ranges1.range[1].end);
}

// Test converting Ranges to an interval set. Upstream converts to stout's
// `IntervalSet<uint64_t>` with `rangesToIntervalSet`; ours is
// `values::to_intervals`, giving the same half-open intervals in order.
#[test]
fn ranges_to_interval_set() {
    // Initialize Ranges value as [1-1, 3-5, 7-8].
    let ranges1 = explicit(&[(1, 1), (3, 5), (7, 8)]);

    // Convert Ranges value to intervals.
    let intervals = values::to_intervals(&ranges1).expect("intervals");

    // Verify converting result which should be {[1,2), [3-6), [7-9)}.
    assert_eq!(3, intervals.len());
    let mut interval = intervals.iter();
    assert_eq!(Some(&(1..2)), interval.next());
    assert_eq!(Some(&(3..6)), interval.next());
    assert_eq!(Some(&(7..9)), interval.next());
    assert_eq!(None, interval.next());
}

// Test converting an interval set to Ranges. Upstream builds stout's
// `IntervalSet<uint64_t>` from closed bounds and converts it with
// `intervalSetToRanges`; ours is `values::from_intervals` on the same
// intervals written half-open (closed `[a, b]` is `a..b + 1`).
#[test]
fn interval_set_to_ranges() {
    // Initialize interval set value as {[1-1], [3-4], [7-9]}.
    let intervals = [1..2, 3..5, 7..10];

    // Convert interval set value to Ranges value.
    let ranges1 = values::from_intervals(&intervals);

    // Verify converting result which should be [1-1, 3-4, 7-9].
    assert_eq!(3, ranges1.range.len());
    assert_eq!(1, ranges1.range[0].begin);
    assert_eq!(1, ranges1.range[0].end);
    assert_eq!(3, ranges1.range[1].begin);
    assert_eq!(4, ranges1.range[1].end);
    assert_eq!(7, ranges1.range[2].begin);
    assert_eq!(9, ranges1.range[2].end);
}

// Test adding two ranges.
#[test]
fn ranges_addition() {
    for (ranges1, ranges2, sum) in [
        // Overlaps on right.
        ("[3-8]", "[4-10]", "[3-10]"),
        // Overlapps on right.
        ("[3-8]", "[1-4]", "[1-8]"),
        // Completely subsumed.
        ("[2-3]", "[1-4]", "[1-4]"),
        // Neighbouring right.
        ("[2-3]", "[4-6]", "[2-6]"),
        // Neighbouring left.
        ("[3-5]", "[1-2]", "[1-5]"),
        // Fills gap.
        ("[3-5, 7-8]", "[6-6]", "[3-8]"),
        // Fills double gap.
        ("[1-4, 9-10, 20-22, 26-30]", "[5-8, 23-25]", "[1-10, 20-30]"),
    ] {
        assert_equals(&ranges(sum), &(ranges(ranges1) + ranges(ranges2)));
    }
}

// Test subtracting two ranges.
#[test]
fn ranges_subtraction() {
    for (ranges1, ranges2, difference) in [
        // Ranges1 is empty.
        ("[]", "[1-10]", "[]"),
        // Ranges2 is empty.
        ("[3-8]", "[]", "[3-8]"),
        // Completely subsumes.
        ("[3-8]", "[1-10]", "[]"),
        // Subsummed on left.
        ("[3-8]", "[3-5]", "[6-8]"),
        // Subsummed on right.
        ("[3-8]", "[5-8]", "[3-4]"),
        // Subsummed in the middle.
        ("[3-8]", "[5-6]", "[3-4, 7-8]"),
        // Overlaps to the left.
        ("[3-8]", "[1-3]", "[4-8]"),
        // Overlaps to the right.
        ("[3-8]", "[5-10]", "[3-4]"),
        // Doesn't overlap right.
        ("[3-8]", "[9-10]", "[3-8]"),
        // Doesn't overlap left.
        ("[3-8]", "[1-2]", "[3-8]"),
    ] {
        assert_equals(&ranges(difference), &(ranges(ranges1) - ranges(ranges2)));
    }
}

// Not in ValuesTest: scalars in Mesos' fixed point, and how values print
// (ResourcesTest relies on both).

#[test]
fn scalars_add_and_print_in_fixed_point() {
    let scalar = |value: f64| Scalar { value };
    let sum = scalar(54.44) + scalar(45.55) + scalar(45.55);
    assert_eq!(sum.value, 145.54);
    assert!(sum.equals(&scalar(145.5400001)));
    assert!(scalar(0.1 + 0.2).equals(&scalar(0.3)));
    assert!(scalar(1.0).contained_in(&scalar(1.0004)));
    assert!(!scalar(1.001).contained_in(&scalar(1.0)));

    let mut value = scalar(0.0);
    for _ in 0..100_000 {
        value += scalar(1.001);
    }
    for _ in 0..99_999 {
        value -= scalar(1.001);
    }
    assert_eq!(value.value, 1.001);

    let printed: Vec<String> = [1.234, 1.2345, 1.2344, 1.1, 1000001.0, 2.0, 0.5, 1e15]
        .into_iter()
        .map(|v| scalar(v).to_string())
        .collect();
    assert_eq!(
        printed,
        ["1.234", "1.235", "1.234", "1.1", "1000001", "2", "0.5", "1e+15"]
    );
    assert_eq!(scalar(99999999999.9994).to_string(), "99999999999.999");
}

#[test]
fn values_print_as_mesos_prints_them() {
    let printed = |text: &str| values::parse(text).expect("parses").to_string();
    assert_eq!(printed("[31000-32000, 1-2]"), "[1-2, 31000-32000]");
    assert_eq!(printed("[]"), "[]");
    assert_eq!(printed("{sda1,sda2}"), "{sda1, sda2}");
    assert_eq!(printed("{}"), "{}");
    assert_eq!(printed("rack 1"), "rack1");
    assert_eq!(printed("45.55"), "45.55");
    assert_eq!(
        values::parse("-1").expect_err("negative").to_string(),
        "Invalid scalar value '-1':Negative values not supported"
    );
}

#[test]
fn huge_scalars_saturate_instead_of_overflowing() {
    // Input from frameworks can be anything finite; sums must not panic.
    let huge = Scalar { value: 9e15 };
    let sum = huge + huge;
    assert!(sum.value >= huge.value);
    let difference = Scalar { value: 0.0 } - huge - huge;
    assert!(difference.value <= -huge.value);
}
