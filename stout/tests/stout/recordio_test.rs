//! stout's `RecordIOTest`.

use stout::recordio::{self, Decoder};

fn records(list: &[&str]) -> Vec<Vec<u8>> {
    list.iter().map(|r| r.as_bytes().to_vec()).collect()
}

#[test]
fn encode() {
    let data: Vec<u8> = ["hello!", "", " ", "13 characters"]
        .iter()
        .flat_map(|r| recordio::encode(r.as_bytes()))
        .collect();
    assert_eq!(data, b"6\nhello!0\n1\n 13\n13 characters");

    let mut decoder = Decoder::new();
    assert_eq!(
        decoder.decode(&data).expect("decodes"),
        records(&["hello!", "", " ", "13 characters"])
    );
}

#[test]
fn decoder() {
    let mut decoder = Decoder::new();
    assert_eq!(decoder.decode(b"").expect("decodes"), records(&[]));
    assert_eq!(
        decoder.decode(b"6\nhello!0\n1\n ").expect("decodes"),
        records(&["hello!", "", " "])
    );

    // A record split across chunks comes out once it is whole.
    for chunk in ["1", "3", "\n", "13 character"] {
        assert_eq!(
            decoder.decode(chunk.as_bytes()).expect("decodes"),
            records(&[])
        );
    }
    assert_eq!(
        decoder.decode(b"s").expect("decodes"),
        records(&["13 characters"])
    );

    // A bad length fails the decoder, for good.
    let error = decoder.decode(b"not a number\n").expect_err("fails");
    assert_eq!(
        error.to_string(),
        "Failed to decode length 'not a number': Failed to convert 'not a number' to number"
    );
    assert!(decoder.decode(b"1\n").is_err());
}
