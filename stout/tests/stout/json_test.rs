use serde_json::{json, Number, Value};
use stout::json;

#[test]
fn default_value_is_null() {
    assert_eq!(Value::default().to_string(), "null");
}

#[test]
fn number_format() {
    assert_eq!(json!(0.0).to_string(), "0.0");
    assert_eq!(json!(1.0).to_string(), "1.0");
    assert_eq!(json!(-1.0).to_string(), "-1.0");
    assert_eq!(json!(0).to_string(), "0");
    assert_eq!(json!(2).to_string(), "2");
    assert_eq!(json!(-2).to_string(), "-2");
    assert_eq!(json!(1234567890.12345).to_string(), "1234567890.12345");
}

#[test]
fn number_comparisons() {
    let n = |v: Value| v.as_number().cloned().unwrap();
    assert_eq!(n(json!(1u64)), n(json!(1i64)));
    assert_eq!(n(json!(0u64)), n(json!(0i64)));
    assert_ne!(n(json!(1u64)), n(json!(-1i64)));
    assert_ne!(n(json!(u64::MAX)), n(json!(-1i64)));
    assert_ne!(
        Number::from(9223372036854775809u64),
        Number::from(-9223372036854775807i64)
    );
    assert!(!json::contains(&json!(u64::MAX), &json!(-1)));
    assert!(json::contains(&json!(1u64), &json!(1i64)));
}

#[test]
fn boolean_format() {
    assert_eq!(json!(false).to_string(), "false");
    assert_eq!(json!(true).to_string(), "true");
}

fn sample() -> Value {
    json!({
        "strings": "string",
        "integer1": 1,
        "integer2": -1,
        "double1": 1,
        "double2": -1,
        "double3": -1.42,
        "nested": {"string": "string"},
        "array": [{"string": "string"}],
    })
}

#[test]
fn parse() {
    let object = sample();
    assert_eq!(
        json::parse(&object["nested"].to_string()).unwrap(),
        object["nested"]
    );
    assert_eq!(
        json::parse(&object["array"].to_string()).unwrap(),
        object["array"]
    );
    assert_eq!(json::parse(&object.to_string()).unwrap(), object);

    let padded = "      {\n  \"some\": \"stuff\",  \"oh\": \"no\"}\t   ";
    assert_eq!(
        json::parse(padded).unwrap(),
        json!({"some": "stuff", "oh": "no"})
    );
    assert!(json::parse_object("[1]").is_err());
}

#[test]
fn parse_error() {
    let cases = [
        "{\"key1\": \"value1\"}trailingcharacters",
        "{\"key1\": \"value1\"}, {\"key2\": \"value2\"}",
        "{ \"key1\": \"value1\", \"key2\": \"value2\" ",
        r"{'double1': 123123123121231231231231321312312312123123122E112312387129381723\x0d\x0a}",
        "{\"double2\": -332861120361594135E400}",
    ];
    for text in cases {
        assert!(json::parse(text).is_err(), "{text}");
    }
}

fn find_document() -> Value {
    json!({
        "nested1": {
            "nested2": {
                "string": "string",
                "integer": -1,
                "double": -1.42,
                "null": null,
                "array": ["hello"],
            }
        }
    })
}

#[test]
fn find() {
    let doc = find_document();
    for path in [
        "nested.nested.string",
        "nested1.nested2.none",
        "nested1.nested2.array[1]",
        "nested1.nested2.null[1]",
        "nested1.nested2.missing[1]",
    ] {
        assert_eq!(json::find(&doc, path).unwrap(), None, "{path}");
    }

    let mut malformed = vec![
        "nested1.nested2.string.foo".to_string(),
        "nested1[1].nested2.string".to_string(),
        "nested1.nested2[1].string".to_string(),
        "nested1.nested2.string[1]".to_string(),
    ];
    for subscript in [
        "array[1",
        "array[[1]",
        "array[1]]",
        "array.[1]",
        "array[.1]",
        "array[1.]",
        "array[]",
        "array[[]",
        "array[]]",
        "array[[]]",
        "array[[1]]",
    ] {
        malformed.push(format!("nested1.nested2.{}", subscript));
    }
    for path in &malformed {
        assert!(json::find(&doc, path).is_err(), "{path}");
    }

    let get = |path: &str| json::find(&doc, path).unwrap().cloned();
    assert_eq!(get("nested1.nested2.string"), Some(json!("string")));
    assert_eq!(get("nested1.nested2.integer"), Some(json!(-1)));
    assert_eq!(get("nested1.nested2.double"), Some(json!(-1.42)));
    assert_eq!(get("nested1.nested2.array[0]"), Some(json!("hello")));
    assert_eq!(get("nested1.nested2.null"), Some(Value::Null));
}

#[test]
fn equals() {
    let parse = |s: &str| json::parse(s).unwrap();
    let array = parse("{\"array\": [1, 2, 3]}");
    assert_eq!(array, parse("{\"array\": [1, 2, 3]}"));
    for other in [
        "{\"array\": [3, 2, 1, 0]}",
        "{\"array\": [1, 2, 3, 4]}",
        "{\"array\": [3, 2, 1]}",
        "{\"array\": [1, 2, 4]}",
        "{\"array\": [1, 2]}",
        "{\"array\": []}",
        "{\"array\": null}",
        "{\"array\": 42}",
    ] {
        assert_ne!(array, parse(other), "{other}");
    }
    let object = parse("{\"a\": 1, \"b\": 2}");
    assert_eq!(object, parse("{\"b\": 2, \"a\": 1}"));
    for other in ["{\"a\": 1, \"b\": []}", "{\"a\": 1}", "{}"] {
        assert_ne!(object, parse(other), "{other}");
    }
}

fn check_contains(base: &str, contained: &[&str], not_contained: &[&str]) {
    let base = json::parse(base).unwrap();
    assert!(json::contains(&base, &base));
    assert!(json::contains(&base, &json!({})));
    for part in contained {
        assert!(json::contains(&base, &json::parse(part).unwrap()), "{part}");
    }
    for part in not_contained {
        assert!(
            !json::contains(&base, &json::parse(part).unwrap()),
            "{part}"
        );
    }
}

#[test]
fn contains_array() {
    check_contains(
        "{\"array\": [1, 2, 3]}",
        &[],
        &[
            "{\"array\": [3, 2, 1, 0]}",
            "{\"array\": [1, 2, 3, 4]}",
            "{\"array\": [3, 2, 1]}",
            "{\"array\": [1, 2, 4]}",
            "{\"array\": [1, 2]}",
            "{\"array\": []}",
            "{\"array\": null}",
            "{\"array\": 42}",
            "{\"array\": \"A string\"}",
        ],
    );
    check_contains(
        "{\"array_of_doubles\": [1.0, -22.33, 99.987, 100]}",
        &[],
        &[
            "{\"array_of_doubles\": [1.0, -22.33, 99.999, 100]}",
            "{\"array_of_doubles\": [1.0, -22.33, 100]}",
        ],
    );
    check_contains(
        "{\"array_of_arrays\": [[1.0, -22.33], [1, 2]]}",
        &[],
        &[
            "{\"array_of_arrays\": [[1.0, -22.33], [1, 3]]}",
            "{\"array_of_arrays\": [[1.0, -33.44], [1, 3]]}",
            "{\"array_of_arrays\": [[1.0, -22.33], [1]]}",
        ],
    );
}

#[test]
fn contains_boolean() {
    check_contains(
        "{\"boolean\": true}",
        &[],
        &[
            "{\"boolean\": false}",
            "{\"boolean\": null}",
            "{\"boolean\": 42}",
            "{\"boolean\": \"A string\"}",
        ],
    );
}

#[test]
fn contains_null() {
    check_contains(
        "{\"null_entry\": null}",
        &[],
        &["{\"null_entry\": 42}", "{\"null_entry\": \"A string\"}"],
    );
}

#[test]
fn contains_string() {
    check_contains(
        "{\"string\": \"Hello World!\"}",
        &[],
        &[
            "{\"string\": \"Goodbye World!\"}",
            "{\"string\": \"\"}",
            "{\"string\": null}",
            "{\"string\": 42}",
            "{\"string\": [42]}",
        ],
    );
}

#[test]
fn contains_object() {
    check_contains(
        "{\"a\": 1, \"b\": 2}",
        &["{\"a\": 1}", "{\"b\": 2}"],
        &["{\"a\": 2}", "{\"a\": 1, \"b\": []}"],
    );
    check_contains(
        "{\"objectarray\": [{\"a\": 1, \"b\": 2}, {\"c\": 3, \"d\": 4}]}",
        &[
            "{\"objectarray\": [{\"a\": 1, \"b\": 2}, {\"c\": 3}]}",
            "{\"objectarray\": [{\"a\": 1}, {}]}",
            "{\"objectarray\": [{}, {}]}",
        ],
        &[
            "{\"objectarray\": [{\"c\": 3, \"d\": 4}, {\"a\": 1, \"b\": 2}]}",
            "{\"objectarray\": [{\"e\": 5}, {}]}",
            "{\"objectarray\": []}",
            "{\"objectarray\": [{}, {}, {}]}",
        ],
    );
    check_contains(
        "{\"object\": {\"a\": 1, \"b\": 2}}",
        &["{\"object\": {}}", "{\"object\": {\"a\": 1}}"],
        &[
            "{\"object\": {\"c\": 1}}",
            "{\"object\": {\"a\": 1, \"b\": 2, \"c\": 3}}",
        ],
    );
}

#[test]
fn nesting_depth() {
    let depth = 500_000;
    let text = format!("{}42{}", "[".repeat(depth), "]".repeat(depth));
    assert!(json::parse(&text).is_err());
}
