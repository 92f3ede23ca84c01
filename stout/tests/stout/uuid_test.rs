use stout::Uuid;

#[test]
fn test() {
    let uuid1 = Uuid::random();
    let uuid2 = Uuid::from_bytes(&uuid1.to_bytes()).unwrap();
    let uuid3 = uuid2;

    assert_eq!(uuid1, uuid2);
    assert_eq!(uuid2, uuid3);
    assert_eq!(uuid1, uuid3);

    assert_eq!(uuid1.to_bytes(), uuid2.to_bytes());
    assert_eq!(uuid2.to_bytes(), uuid3.to_bytes());

    assert_eq!(uuid1.to_string(), uuid2.to_string());
    assert_eq!(uuid2.to_string(), uuid3.to_string());

    for uuid in [uuid1, uuid2, uuid3] {
        assert_eq!(Uuid::from_string(&uuid.to_string()).unwrap(), uuid);
    }
}

#[test]
fn metadata() {
    let uuid = Uuid::random();
    assert_eq!(uuid.to_bytes().len(), 16);
    assert!(uuid.is_rfc4122());
    assert_eq!(uuid.version(), 4);
}

#[test]
fn malformed_uuid() {
    assert!(Uuid::from_bytes(&Uuid::random().to_bytes()).is_ok());
    assert!(Uuid::from_bytes(b"malformed-uuid").is_err());
    // 16 bytes, but the version nibble is 6.
    assert!(Uuid::from_bytes(b"invalidstringmsg").is_err());
    assert!(Uuid::from_string(&Uuid::random().to_string()).is_ok());
    assert!(Uuid::from_string("malformed-uuid").is_err());
}

// Beyond the C++ suite: the text form is lowercase and hyphenated, and
// seeded bytes give a deterministic version-4 UUID.
#[test]
fn string_form_and_seeded_bytes() {
    let uuid = Uuid::from_random_bytes([0xAB; 16]);
    assert_eq!(uuid, Uuid::from_random_bytes([0xAB; 16]));
    assert_eq!(uuid.version(), 4);
    let text = uuid.to_string();
    assert_eq!(text, "abababab-abab-4bab-abab-abababababab");
    assert_eq!(Uuid::from_string(&text.to_uppercase()).unwrap(), uuid);
}
