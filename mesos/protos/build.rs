//! Compiles Apache Mesos' protobuf schemas (`third_party/mesos`) into Rust:
//! protox parses them (a compiler written in Rust, so a fresh machine needs
//! no `protoc`), prost generates the types, and the descriptor set is kept
//! for the JSON mapping, which walks descriptors.

use std::error::Error;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../third_party/mesos");
    let includes = [root.join("include"), root.join("src")];
    let mut files = Vec::new();
    for include in &includes {
        collect(include, include, &mut files)?;
    }
    files.sort();
    println!("cargo:rerun-if-changed={}", root.display());

    let descriptors = protox::compile(&files, &includes)?;
    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    // The comments (source info) are for the generated code's docs; the
    // embedded set leaves them out, as every daemon decodes it into memory.
    let mut embedded = descriptors.clone();
    for file in &mut embedded.file {
        file.source_code_info = None;
    }
    std::fs::write(
        out.join("mesos_descriptors.bin"),
        prost::Message::encode_to_vec(&embedded),
    )?;
    std::fs::write(out.join("message_types.rs"), message_types(&descriptors))?;
    std::fs::write(out.join("schemas.rs"), schemas(&descriptors))?;
    prost_build::Config::new()
        .bytes(["."])
        .enable_type_names()
        .include_file("protos.rs")
        .compile_fds(descriptors)?;
    Ok(())
}

/// The `message_types!` macro: `message_types!(messages, mesos)` expands to
/// `messages! { "mesos.TaskInfo" => mesos::TaskInfo, ... }` for every
/// message type generated (map entries are not types), so tests can
/// visit them all. Paths follow prost's naming, as the `mesos` crate
/// re-exports the types (the second argument is that crate's name where
/// the macro is called).
fn message_types(descriptors: &prost_types::FileDescriptorSet) -> String {
    use heck::{ToSnakeCase, ToUpperCamelCase};

    fn visit(
        message: &prost_types::DescriptorProto,
        full_name: &str,
        path: &str,
        out: &mut String,
    ) {
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            return;
        }
        let name = message.name();
        let full_name = format!("{full_name}.{name}");
        out.push_str(&format!(
            "            \"{full_name}\" => {path}::{},\n",
            sanitize(name.to_upper_camel_case())
        ));
        let module = format!("{path}::{}", sanitize(name.to_snake_case()));
        for nested in &message.nested_type {
            visit(nested, &full_name, &module, out);
        }
    }

    let mut out = String::from(
        "/// `message_types!(callback, mesos)` calls\n\
         /// `callback! { \"mesos.TaskInfo\" => mesos::TaskInfo, ... }` with every\n\
         /// generated message type: its full protobuf name and its path in the\n\
         /// `mesos` crate, which re-exports this one (the second argument names\n\
         /// that crate where the macro is called).\n\
         #[macro_export]\n\
         macro_rules! message_types {\n\
         \x20   ($callback:ident, $root:ident) => {\n\
         \x20       $callback! {\n",
    );
    for file in &descriptors.file {
        let package = file.package();
        if package.starts_with("google.") {
            continue;
        }
        let path = match package.strip_prefix("mesos") {
            Some(rest) => format!("$root{}", rest.replace('.', "::")),
            None => format!("$root::{}", package.replace('.', "::")),
        };
        for message in &file.message_type {
            visit(message, package, &path, &mut out);
        }
    }
    out.push_str("        }\n    };\n}\n");
    out
}

/// The table of `stout::protobuf::Schema`s (an array expression) for the
/// required-field check: every message type, map entries included, sorted
/// by full name, its message-typed fields pointing into the table by index.
fn schemas(descriptors: &prost_types::FileDescriptorSet) -> String {
    use prost_types::field_descriptor_proto::{Label, Type};
    use std::collections::BTreeMap;

    fn collect<'a>(
        message: &'a prost_types::DescriptorProto,
        scope: &str,
        all: &mut BTreeMap<String, &'a prost_types::DescriptorProto>,
    ) {
        let full_name = format!("{scope}.{}", message.name());
        for nested in &message.nested_type {
            collect(nested, &full_name, all);
        }
        all.insert(full_name, message);
    }

    let mut all = BTreeMap::new();
    for file in &descriptors.file {
        for message in &file.message_type {
            collect(message, file.package(), &mut all);
        }
    }
    let index: BTreeMap<&str, usize> = all
        .keys()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut out = String::from("&[\n");
    for (name, message) in &all {
        let field = |f: &prost_types::FieldDescriptorProto| {
            format!("Field {{ number: {}, name: {:?} }}", f.number(), f.name())
        };
        let required: Vec<String> = message
            .field
            .iter()
            .filter(|f| f.label() == Label::Required)
            .map(field)
            .collect();
        let messages: Vec<String> = message
            .field
            .iter()
            .filter(|f| f.r#type() == Type::Message)
            .map(|f| {
                let target = f.type_name().trim_start_matches('.');
                let schema = index
                    .get(target)
                    .unwrap_or_else(|| panic!("{name}.{}: unknown type {target}", f.name()));
                format!(
                    "MessageField {{ field: {}, repeated: {}, schema: {schema} }}",
                    field(f),
                    f.label() == Label::Repeated
                )
            })
            .collect();
        out.push_str(&format!(
            "    Schema {{ name: {name:?}, required: &[{}], messages: &[{}] }},\n",
            required.join(", "),
            messages.join(", ")
        ));
    }
    out.push(']');
    out
}

/// prost's escaping of identifiers that are Rust keywords.
fn sanitize(ident: String) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl",
        "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
        "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "dyn", "abstract",
        "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
        "virtual", "yield", "async", "await", "try", "gen",
    ];
    match ident.as_str() {
        k if KEYWORDS.contains(&k) => format!("r#{k}"),
        "_" | "super" | "self" | "Self" | "extern" | "crate" => format!("{ident}_"),
        _ => ident,
    }
}

/// The `.proto` files under `dir`, as paths relative to `include`.
fn collect(include: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(include, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            files.push(path.strip_prefix(include)?.to_path_buf());
        }
    }
    Ok(())
}
