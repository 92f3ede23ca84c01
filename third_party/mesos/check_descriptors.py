#!/usr/bin/env python3
"""Compare two sets of .proto files by their compiled descriptors.

The schemas under third_party/mesos are written for this project so that they
are wire-identical with Apache Mesos.  This script compiles a reference tree
(e.g. an upstream Apache Mesos checkout) and our tree with protoc into
FileDescriptorSets and compares them file by file, message by message and
enum by enum.  Everything that affects the binary wire format or the JSON
mapping is compared:

  * file: package, imports (dependency list), syntax;
  * message: presence, fields, nested messages/enums, oneofs, extension
    ranges, reserved ranges/names, nested `extend`s, message options;
  * field: name, number, label, type, type_name, extendee, default_value,
    oneof (by name), json_name, FieldOptions (packed, deprecated, ...);
  * enum: presence, values (name and number), EnumOptions (allow_alias),
    EnumValueOptions;
  * top level `extend`s and services (methods, input/output types).

File options (java_package, cc_enable_arenas, ...) are not compared: they do
not influence the wire format.

Usage:

  check_descriptors.py \
      --ref-root /tmp/upstream/include --ref-root /tmp/upstream/src \
      --our-root third_party/mesos/include --our-root third_party/mesos/src \
      [FILE.proto ...]

FILE.proto paths are relative to the include roots (e.g. mesos/mesos.proto,
messages/messages.proto).  Without FILE arguments every .proto file found
under the --our-root directories is compared, except those excluded with
--exclude (a glob on the relative path, may be repeated).

Instead of source roots, precompiled descriptor sets can be given with
--ref-set / --our-set (built with `protoc --include_imports
--descriptor_set_out=...`).

protoc is taken from --protoc (a command line, split on whitespace); the
default is `<this python> -m grpc_tools.protoc`, falling back to `protoc`.

Exit status: 0 if no difference was found, 1 on any difference, 2 on usage
or compilation errors.
"""

import argparse
import fnmatch
import os
import shlex
import subprocess
import sys
import tempfile

from google.protobuf import descriptor_pb2

FDP = descriptor_pb2.FieldDescriptorProto

TYPE_NAMES = {v: k for k, v in FDP.Type.items()}
LABEL_NAMES = {v: k for k, v in FDP.Label.items()}


def default_protoc():
    try:
        import grpc_tools  # noqa: F401
        return [sys.executable, "-m", "grpc_tools.protoc"], True
    except ImportError:
        return ["protoc"], False


def grpc_tools_include():
    try:
        import grpc_tools
        path = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
        if os.path.isdir(path):
            return [path]
    except ImportError:
        pass
    return []


def find_protos(roots, excludes):
    found = []
    for root in roots:
        for dirpath, _, filenames in os.walk(root):
            for name in filenames:
                if not name.endswith(".proto"):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                rel = rel.replace(os.sep, "/")
                if any(fnmatch.fnmatch(rel, pat) for pat in excludes):
                    continue
                if rel not in found:
                    found.append(rel)
    return sorted(found)


def compile_set(protoc, extra_includes, roots, files, label):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "set.pb")
        cmd = list(protoc)
        for root in roots:
            cmd.append("-I" + root)
        for inc in extra_includes:
            cmd.append("-I" + inc)
        cmd += ["--include_imports", "--descriptor_set_out=" + out]
        cmd += files
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        if proc.returncode != 0:
            sys.stderr.write("protoc failed for %s tree:\n  %s\n%s%s" % (
                label, " ".join(shlex.quote(c) for c in cmd),
                proc.stdout, proc.stderr))
            sys.exit(2)
        if proc.stderr.strip():
            sys.stderr.write("protoc warnings (%s):\n%s" % (label, proc.stderr))
        return load_set(out)


def load_set(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    return {f.name: f for f in fds.file}


class Comparator(object):
    def __init__(self):
        self.diffs = []
        self.counts = {"files": 0, "messages": 0, "enums": 0, "fields": 0,
                       "enum_values": 0, "extensions": 0, "services": 0}

    def diff(self, where, what):
        self.diffs.append("%s: %s" % (where, what))

    # -- helpers -----------------------------------------------------------

    def compare_scalar(self, where, what, ref, our):
        if ref != our:
            self.diff(where, "%s differs: reference %r, ours %r" %
                      (what, ref, our))

    def compare_options(self, where, what, ref_msg, our_msg, has_ref, has_our):
        ref_s = str(ref_msg).strip() if has_ref else ""
        our_s = str(our_msg).strip() if has_our else ""
        if ref_s != our_s:
            self.diff(where, "%s differ: reference {%s}, ours {%s}" %
                      (what, ref_s.replace("\n", "; "),
                       our_s.replace("\n", "; ")))

    def compare_named(self, where, kind, ref_list, our_list, fn):
        ref = {x.name: x for x in ref_list}
        our = {x.name: x for x in our_list}
        for name in ref:
            if name not in our:
                self.diff(where, "%s %s missing in ours" % (kind, name))
        for name in our:
            if name not in ref:
                self.diff(where, "%s %s not in reference" % (kind, name))
        for name in ref:
            if name in our:
                fn(where + "." + name if where else name, ref[name], our[name])

    # -- files -------------------------------------------------------------

    def compare_file(self, ref, our):
        self.counts["files"] += 1
        where = ref.name
        self.compare_scalar(where, "package", ref.package, our.package)
        self.compare_scalar(where, "syntax", ref.syntax or "proto2",
                            our.syntax or "proto2")
        self.compare_scalar(where, "imports", sorted(ref.dependency),
                            sorted(our.dependency))
        self.compare_scalar(where, "public imports",
                            sorted(ref.dependency[i] for i in ref.public_dependency),
                            sorted(our.dependency[i] for i in our.public_dependency))
        prefix = "." + ref.package if ref.package else ""
        self.compare_named(prefix, "message", ref.message_type,
                           our.message_type, self.compare_message)
        self.compare_named(prefix, "enum", ref.enum_type, our.enum_type,
                           self.compare_enum)
        self.compare_extensions(where + " (top-level extend)", ref.extension,
                                our.extension)
        self.compare_named(prefix, "service", ref.service, our.service,
                           self.compare_service)

    # -- messages ----------------------------------------------------------

    def compare_message(self, where, ref, our):
        self.counts["messages"] += 1
        self.compare_options(where, "message options", ref.options,
                             our.options, ref.HasField("options"),
                             our.HasField("options"))

        ref_oneofs = [o.name for o in ref.oneof_decl]
        our_oneofs = [o.name for o in our.oneof_decl]
        if sorted(ref_oneofs) != sorted(our_oneofs):
            self.diff(where, "oneofs differ: reference %s, ours %s" %
                      (ref_oneofs, our_oneofs))

        self.compare_fields(where, ref.field, our.field, ref_oneofs,
                            our_oneofs, "field")

        ref_ranges = sorted((r.start, r.end) for r in ref.extension_range)
        our_ranges = sorted((r.start, r.end) for r in our.extension_range)
        self.compare_scalar(where, "extension ranges", ref_ranges, our_ranges)

        ref_res = sorted((r.start, r.end) for r in ref.reserved_range)
        our_res = sorted((r.start, r.end) for r in our.reserved_range)
        self.compare_scalar(where, "reserved ranges", ref_res, our_res)
        self.compare_scalar(where, "reserved names",
                            sorted(ref.reserved_name),
                            sorted(our.reserved_name))

        self.compare_extensions(where + " (nested extend)", ref.extension,
                                our.extension)
        self.compare_named(where, "nested message", ref.nested_type,
                           our.nested_type, self.compare_message)
        self.compare_named(where, "nested enum", ref.enum_type, our.enum_type,
                           self.compare_enum)

    def compare_fields(self, where, ref_fields, our_fields, ref_oneofs,
                       our_oneofs, kind):
        ref = {f.number: f for f in ref_fields}
        our = {f.number: f for f in our_fields}
        for num in sorted(ref):
            if num not in our:
                self.diff(where, "%s %s = %d missing in ours" %
                          (kind, ref[num].name, num))
        for num in sorted(our):
            if num not in ref:
                self.diff(where, "%s %s = %d not in reference" %
                          (kind, our[num].name, num))
        for num in sorted(ref):
            if num not in our:
                continue
            r, o = ref[num], our[num]
            self.counts["fields" if kind == "field" else "extensions"] += 1
            fw = "%s.%s(=%d)" % (where, r.name, num)
            self.compare_scalar(fw, "name", r.name, o.name)
            self.compare_scalar(fw, "label", LABEL_NAMES.get(r.label),
                                LABEL_NAMES.get(o.label))
            self.compare_scalar(fw, "type", TYPE_NAMES.get(r.type),
                                TYPE_NAMES.get(o.type))
            self.compare_scalar(fw, "type_name", r.type_name, o.type_name)
            self.compare_scalar(fw, "extendee", r.extendee, o.extendee)
            self.compare_scalar(
                fw, "default_value",
                r.default_value if r.HasField("default_value") else None,
                o.default_value if o.HasField("default_value") else None)
            self.compare_scalar(fw, "json_name", r.json_name, o.json_name)
            r_oneof = (ref_oneofs[r.oneof_index]
                       if r.HasField("oneof_index") else None)
            o_oneof = (our_oneofs[o.oneof_index]
                       if o.HasField("oneof_index") else None)
            self.compare_scalar(fw, "oneof", r_oneof, o_oneof)
            self.compare_scalar(fw, "proto3_optional",
                                getattr(r, "proto3_optional", False),
                                getattr(o, "proto3_optional", False))
            self.compare_options(fw, "field options", r.options, o.options,
                                 r.HasField("options"), o.HasField("options"))

    def compare_extensions(self, where, ref_exts, our_exts):
        if not ref_exts and not our_exts:
            return
        self.compare_fields(where, ref_exts, our_exts, [], [], "extension")

    # -- enums -------------------------------------------------------------

    def compare_enum(self, where, ref, our):
        self.counts["enums"] += 1
        self.compare_options(where, "enum options", ref.options, our.options,
                             ref.HasField("options"), our.HasField("options"))
        ref_vals = {v.name: v for v in ref.value}
        our_vals = {v.name: v for v in our.value}
        for name in ref_vals:
            if name not in our_vals:
                self.diff(where, "enum value %s = %d missing in ours" %
                          (name, ref_vals[name].number))
        for name in our_vals:
            if name not in ref_vals:
                self.diff(where, "enum value %s = %d not in reference" %
                          (name, our_vals[name].number))
        for name in ref_vals:
            if name not in our_vals:
                continue
            self.counts["enum_values"] += 1
            r, o = ref_vals[name], our_vals[name]
            self.compare_scalar(where + "." + name, "number", r.number,
                                o.number)
            self.compare_options(where + "." + name, "enum value options",
                                 r.options, o.options, r.HasField("options"),
                                 o.HasField("options"))
        # The first value is the proto2 default of an enum field without an
        # explicit default, so it must be the same.
        if ref.value and our.value:
            self.compare_scalar(where, "first enum value", ref.value[0].name,
                                our.value[0].name)
        # With allow_alias, the first name declared for a number is the one
        # used when printing (text format, JSON), so it must be the same.
        def canonical(values):
            names = {}
            for v in values:
                names.setdefault(v.number, v.name)
            return names
        ref_canon, our_canon = canonical(ref.value), canonical(our.value)
        for number in sorted(ref_canon):
            if number in our_canon and ref_canon[number] != our_canon[number]:
                self.diff(where, "canonical name of value %d differs: "
                          "reference %s, ours %s" % (
                              number, ref_canon[number], our_canon[number]))
        ref_res = sorted((r.start, r.end) for r in ref.reserved_range)
        our_res = sorted((r.start, r.end) for r in our.reserved_range)
        self.compare_scalar(where, "reserved ranges", ref_res, our_res)
        self.compare_scalar(where, "reserved names", sorted(ref.reserved_name),
                            sorted(our.reserved_name))

    # -- services ----------------------------------------------------------

    def compare_service(self, where, ref, our):
        self.counts["services"] += 1

        def cmp_method(mw, r, o):
            for attr in ("input_type", "output_type", "client_streaming",
                         "server_streaming"):
                self.compare_scalar(mw, attr, getattr(r, attr),
                                    getattr(o, attr))

        self.compare_named(where, "method", ref.method, our.method,
                           cmp_method)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ref-root", action="append", default=[],
                        help="include root of the reference tree (repeat)")
    parser.add_argument("--our-root", action="append", default=[],
                        help="include root of our tree (repeat)")
    parser.add_argument("--ref-set", help="precompiled reference descriptor set")
    parser.add_argument("--our-set", help="precompiled descriptor set of ours")
    parser.add_argument("--protoc", help="protoc command line")
    parser.add_argument("--exclude", action="append", default=[],
                        help="glob of relative .proto paths to skip (repeat)")
    parser.add_argument("--include-deps", action="store_true",
                        help="also compare every imported file present in "
                             "both sets, not only the listed ones")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    if not (args.ref_root or args.ref_set) or not (args.our_root or args.our_set):
        parser.error("need --ref-root/--ref-set and --our-root/--our-set")

    files = list(args.files)
    if not files:
        if not args.our_root:
            parser.error("list FILE.proto arguments when using --our-set")
        files = find_protos(args.our_root, args.exclude)
    if not files:
        parser.error("no .proto files to compare")

    if args.protoc:
        protoc = shlex.split(args.protoc)
        extra = []
    else:
        protoc, is_grpc = default_protoc()
        extra = grpc_tools_include() if is_grpc else []

    ref = (load_set(args.ref_set) if args.ref_set
           else compile_set(protoc, extra, args.ref_root, files, "reference"))
    our = (load_set(args.our_set) if args.our_set
           else compile_set(protoc, extra, args.our_root, files, "ours"))

    names = list(files)
    if args.include_deps:
        names += [n for n in ref if n in our and n not in names
                  and not n.startswith("google/protobuf/")]

    cmp = Comparator()
    for name in names:
        if name not in ref:
            cmp.diff(name, "file missing in reference set")
            continue
        if name not in our:
            cmp.diff(name, "file missing in our set")
            continue
        cmp.compare_file(ref[name], our[name])

    if not args.quiet:
        for d in cmp.diffs:
            print("DIFF " + d)
    c = cmp.counts
    print("compared %d files: %d messages, %d enums, %d fields, "
          "%d enum values, %d extensions, %d services; %d differences" % (
              c["files"], c["messages"], c["enums"], c["fields"],
              c["enum_values"], c["extensions"], c["services"],
              len(cmp.diffs)))
    return 1 if cmp.diffs else 0


if __name__ == "__main__":
    sys.exit(main())
