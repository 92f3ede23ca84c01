use stout::path;

#[test]
fn basename() {
    let cases = [
        ("", "."),
        ("/", "/"),
        (".", "."),
        ("..", ".."),
        ("a", "a"),
        ("a/b", "b"),
        ("a/b/c", "c"),
        ("/a", "a"),
        ("//a", "a"),
        ("/a/", "a"),
        ("/a/b/c", "c"),
        ("/a/b", "b"),
        ("//a//b", "b"),
        ("a/", "a"),
        ("/a/b/c//", "c"),
        ("/a/b/c///", "c"),
        ("//", "/"),
        ("///", "/"),
    ];
    for (input, expected) in cases {
        assert_eq!(path::basename(input), expected, "{input:?}");
    }
}

#[test]
fn dirname() {
    let cases = [
        ("", "."),
        ("/", "/"),
        (".", "."),
        ("..", "."),
        ("a", "."),
        ("a/b", "a"),
        ("a/b/c/", "a/b"),
        ("/a", "/"),
        ("//a", "/"),
        ("/a/", "/"),
        ("/a/b", "/a"),
        ("//a//b", "//a"),
        ("/a/b/c", "/a/b"),
        ("/a//b//c//", "/a//b"),
        ("//a/b//c", "//a/b"),
        ("a/", "."),
        ("a/b/c", "a/b"),
        ("/a/b/c/", "/a/b"),
        ("/a/b/c//", "/a/b"),
        ("/a/b/c///", "/a/b"),
        ("//", "/"),
        ("///", "/"),
    ];
    for (input, expected) in cases {
        assert_eq!(path::dirname(input), expected, "{input:?}");
    }
}

#[test]
fn extension() {
    for input in [".", "..", "a", "/a", "/", "/a.b/c"] {
        assert_eq!(path::extension(input), None, "{input:?}");
    }
    let cases = [
        ("a.txt", ".txt"),
        ("/a/b.txt", ".txt"),
        ("/a.b/c.txt", ".txt"),
        ("a.tar.gz", ".gz"),
        (".bashrc", ".bashrc"),
        ("/a.tar.gz", ".gz"),
        ("/.bashrc", ".bashrc"),
    ];
    for (input, expected) in cases {
        assert_eq!(path::extension(input), Some(expected), "{input:?}");
    }
}

#[test]
fn normalize() {
    let cases = [
        ("", "."),
        ("a/b/c/", "a/b/c"),
        ("a///b//c", "a/b/c"),
        ("a/foobar/../b//c/", "a/b/c"),
        ("a/b/c/./.d/", "a/b/c/.d"),
        ("a/b/../c/../..", "."),
        ("a/b/../c/../../", "."),
        ("a/../b/c/../../..", ".."),
        ("a/../../..", "../.."),
        ("../.././a/", "../../a"),
        ("../../a///../b", "../../b"),
        ("a/../b/.././../../c", "../../c"),
        ("/a/b/c", "/a/b/c"),
        ("//a///b/c", "/a/b/c"),
        ("/a/foobar/../b//c/", "/a/b/c"),
        ("/a/b/c/./.d/", "/a/b/c/.d"),
        ("/a/b/../c/../..", "/"),
        ("/a/b/../c/../../", "/"),
    ];
    for (input, expected) in cases {
        assert_eq!(path::normalize(input).unwrap(), expected, "{input:?}");
    }
    for input in [
        "/a/../b/c/../../..",
        "/a/../../..",
        "/../.././a/",
        "/../../a///../b",
        "//a/../b/.././../../c",
    ] {
        let error = path::normalize(input).expect_err(input);
        assert_eq!(
            error.message(),
            format!("Absolute path '{}' tries to escape root", input)
        );
    }
}

#[test]
fn join() {
    assert_eq!(path::join_with("a", "b", '%'), "a%b");
    assert_eq!(path::join("", ""), "/");
    assert_eq!(path::join_all(["", "", ""]), "/");
    assert_eq!(path::join("", "a"), "/a");
    assert_eq!(path::join("a", ""), "a/");
    assert_eq!(path::join("a", "b"), "a/b");
    assert_eq!(path::join_all(["a", "b", "c"]), "a/b/c");
    assert_eq!(path::join_all(["/a", "b", "c"]), "/a/b/c");
    assert_eq!(path::join_all(Vec::<String>::new()), "");
    assert_eq!(path::join_all(vec!["a", "b", "c"]), "a/b/c");
    assert_eq!(path::join_all(vec!["", "", ""]), "/");
    assert_eq!(path::join("/", "asdf"), "/asdf");
    assert_eq!(path::join_all(["", "/", ""]), "/");
    assert_eq!(path::join_all(["ab/", "", "/"]), "ab/");
    assert_eq!(path::join_all(["/", "/", "ab"]), "/ab");
    assert_eq!(path::join_all(["ab", "/", "/"]), "ab/");
    assert_eq!(path::join_all(["/", "", "/ab"]), "/ab");
    assert_eq!(path::join_all(["a/", "b/", "c/"]), "a/b/c/");
    assert_eq!(path::join_all(["/a", "/b", "/c"]), "/a/b/c");
    assert_eq!(path::join_all(["/a/", "/b/", "/c/"]), "/a/b/c/");
    assert_eq!(path::join_all(["a/", "/b/", "/c/"]), "a/b/c/");
}

#[test]
fn is_absolute() {
    for p in ["/", "/foo", "/foo/bar", "/foo/bar/../baz"] {
        assert!(path::is_absolute(p), "{p:?}");
    }
    for p in ["", ".", "..", "../", "./foo", "../foo"] {
        assert!(!path::is_absolute(p), "{p:?}");
    }
}

#[test]
fn relative() {
    assert!(path::relative("a", "/a").is_err());
    assert!(path::relative("/a", "a").is_err());
    let cases = [
        ("/a/b/c", "/a/b/c", "."),
        ("a/b/c", "a/b/c", "."),
        ("/a/b", "/a", "b"),
        ("a/b", "a", "b"),
        ("/a/d/e", "/a/b/c", "../../d/e"),
        ("a/d/e", "a/b/c", "../../d/e"),
        ("/a/./b", "/a/b", "."),
    ];
    for (p, base, expected) in cases {
        assert_eq!(
            path::relative(p, base).unwrap(),
            expected,
            "{p} from {base}"
        );
    }
}

#[test]
fn from_uri() {
    assert_eq!(path::from_uri(""), "");
    assert_eq!(path::from_uri("/somedir/somefile"), "/somedir/somefile");
    assert_eq!(
        path::from_uri("file:///somedir/somefile"),
        "/somedir/somefile"
    );
}

#[test]
fn path_iteration() {
    assert!(path::components("").is_empty());

    let relative = ["1", "2", "3", "4", "5", "file.ext"];
    let joined = relative.join("/");
    assert!(!path::is_absolute(&joined));
    assert_eq!(path::components(&joined), relative);

    let absolute = ["", "1", "2", "3", "4", "5", "file.ext"];
    let joined = absolute.join("/");
    assert!(path::is_absolute(&joined));
    assert_eq!(path::components(&joined), absolute);
}
