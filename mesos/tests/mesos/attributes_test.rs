//! Mesos' AttributesTest (src/tests/attributes_tests.cpp).

use mesos::common::attributes::Attributes;
use mesos::value::Type;
use mesos::Attribute;

/// `Attributes::parse(text)`, which aborts upstream on bad input.
fn parse(text: &str) -> Attributes {
    Attributes::parse(text).expect(text)
}

#[test]
fn parsing() {
    let a = parse("cpus:45.55;ports:[10000-20000, 30000-50000];rack:rack1,rack2");
    // Upstream's `a.get(i)` is the i-th attribute.
    let a: Vec<&Attribute> = a.iter().collect();
    assert_eq!(Type::Scalar, a[0].r#type());
    assert_eq!("cpus", a[0].name);
    assert_eq!(45.55, a[0].scalar.as_ref().expect("scalar").value);

    assert_eq!(Type::Ranges, a[1].r#type());
    assert_eq!("ports", a[1].name);
    let ports = a[1].ranges.as_ref().expect("ranges");
    assert_eq!(2, ports.range.len());
    assert_eq!(10000, ports.range[0].begin);
    assert_eq!(20000, ports.range[0].end);
    assert_eq!(30000, ports.range[1].begin);
    assert_eq!(50000, ports.range[1].end);

    assert_eq!(Type::Text, a[2].r#type());
    assert_eq!("rack", a[2].name);
    assert_eq!("rack1,rack2", a[2].text.as_ref().expect("text").value);

    let b = parse("attr1:foo:bar;attr2:baz:qux:");
    let b: Vec<&Attribute> = b.iter().collect();
    assert_eq!(Type::Text, b[0].r#type());
    assert_eq!("attr1", b[0].name);
    assert_eq!("foo:bar", b[0].text.as_ref().expect("text").value);
    assert_eq!(Type::Text, b[1].r#type());
    assert_eq!("attr2", b[1].name);
    assert_eq!("baz:qux:", b[1].text.as_ref().expect("text").value);
}

#[test]
fn equality() {
    let a = parse("cpus:45.55;ports:[10000-20000, 30000-50000];rack:rack1,rack2");
    assert_eq!(
        a,
        parse("cpus:45.55;ports:[10000-20000,30000-50000];rack:rack1,rack2")
    );
    assert_eq!(parse(""), parse(""));
    assert_ne!(a, parse(""));
    assert_ne!(a, parse("cpus:45.55;ports:45.55;rack:45.55"));
    assert_ne!(parse(""), a);
    assert_eq!(
        parse("rack:rack1;dedicated:customer1;dedicated:customer2"),
        parse("dedicated:customer2;dedicated:customer1;rack:rack1")
    );
}

// Not in AttributesTest: how an attribute prints (`name=value`).
#[test]
fn attributes_print_as_name_equals_value() {
    let attributes = Attributes::parse("rack:r1;cpus:45.55;ports:[2-3, 1-1]").expect("parses");
    let printed: Vec<String> = attributes.iter().map(ToString::to_string).collect();
    assert_eq!(printed, ["rack=r1", "cpus=45.55", "ports=[1-3]"]);
}
