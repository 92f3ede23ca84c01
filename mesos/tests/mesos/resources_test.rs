//! Mesos' ResourcesTest (src/tests/resources_tests.cpp).

use std::collections::HashMap;

use mesos::common::resource_quantities::{
    shrink_resources, shrink_resources_to_limits, ResourceLimits, ResourceQuantities,
};
use mesos::common::resources::{self, Resources};
use mesos::common::values::{self, Compare};
use mesos::resource::disk_info::source::{self as disk_source, Mount, Path};
use mesos::resource::disk_info::{Persistence, Source};
use mesos::resource::{AllocationInfo, DiskInfo, RevocableInfo};
use mesos::value::{self, Range, Ranges, Scalar, Set};
use mesos::{volume, Labels, Resource, Volume};
use stout::Bytes;

use crate::helpers::*;

/// gtest's `EXPECT_DOUBLE_EQ`: equal within 4 units in the last place.
#[track_caller]
fn assert_double_eq(expected: f64, actual: f64) {
    let distance = (expected.to_bits() as i64).wrapping_sub(actual.to_bits() as i64);
    assert!(
        expected == actual || distance.unsigned_abs() <= 4,
        "{expected} != {actual}"
    );
}

/// `EXPECT_SOME_EQ(values::parse(text)->ranges(), actual)` with Mesos'
/// `operator==` on ranges.
#[track_caller]
fn assert_some_ranges(text: &str, actual: Option<Ranges>) {
    let expected = values::parse(text).expect(text).ranges.expect("ranges");
    let actual = actual.expect("some ranges");
    assert!(expected.equals(&actual), "{expected} != {actual}");
}

/// A resource named `name` of type SCALAR with the given value.
fn scalar_resource(name: &str, value: f64) -> Resource {
    let mut resource = Resource {
        name: name.to_string(),
        scalar: Some(Scalar { value }),
        ..Default::default()
    };
    resource.set_type(value::Type::Scalar);
    resource
}

#[test]
fn parsing() {
    let cpus = Resources::parse_resource("cpus", "45.55", "*").unwrap();

    assert_eq!(value::Type::Scalar, cpus.r#type());
    assert_double_eq(45.55, cpus.scalar.as_ref().unwrap().value);

    let ports = Resources::parse_resource("ports", "[10000-20000, 30000-50000]", "*").unwrap();

    assert_eq!(value::Type::Ranges, ports.r#type());
    assert_eq!(2, ports.ranges.as_ref().unwrap().range.len());

    let disks = Resources::parse_resource("disks", "{sda1}", "*").unwrap();

    assert_eq!(value::Type::Set, disks.r#type());
    assert_eq!(1, disks.set.as_ref().unwrap().item.len());
    assert_eq!("sda1", disks.set.as_ref().unwrap().item[0]);

    let r1 = Resources::parse("cpus:45.55;ports:[10000-20000, 30000-50000];disks:{sda1}").unwrap();

    let mut r2 = Resources::new();
    r2 += cpus;
    r2 += ports;
    r2 += disks;

    assert_eq!(r1, r2);
}

#[test]
fn parsing_with_roles() {
    let parse1 = Resources::parse("cpus(role1):2;mem(role1):3").unwrap();

    let mut cpus = scalar_resource("cpus", 2.0);
    cpus.reservations
        .push(create_static_reservation_info("role1"));

    let mut mem = scalar_resource("mem", 3.0);
    mem.reservations
        .push(create_static_reservation_info("role1"));

    let mut resources1 = Resources::new();
    resources1 += cpus;
    resources1 += mem;

    assert_eq!(parse1, resources1);

    let parse2 = Resources::parse("cpus(role1):2.5;ports(role2):[0-100]").unwrap();

    let mut cpus2 = scalar_resource("cpus", 2.5);
    cpus2
        .reservations
        .push(create_static_reservation_info("role1"));

    let mut ports = Resource {
        name: "ports".to_string(),
        ranges: Some(Ranges {
            range: vec![Range { begin: 0, end: 100 }],
        }),
        ..Default::default()
    };
    ports.set_type(value::Type::Ranges);
    ports
        .reservations
        .push(create_static_reservation_info("role2"));

    let mut resources2 = Resources::new();
    resources2 += ports;
    resources2 += cpus2;

    assert_eq!(parse2, resources2);

    let parse3 = Resources::parse_with_role("cpus:2.5;ports(role2):[0-100]", "role1").unwrap();

    assert_eq!(parse2, parse3);
}

#[test]
fn parse_error() {
    // No colon.
    assert!(Resources::parse("cpus(role1)").is_err());

    // Unbalanced parentheses.
    assert!(Resources::parse("cpus(role1:1").is_err());
    assert!(Resources::parse("cpus)(role1:1").is_err());

    // One name used with two different types.
    assert!(Resources::parse("foo(role1):1;foo(role2):[0-1]").is_err());
}

#[test]
fn parsing_from_json() {
    let resources = Resources::parse("cpus:2;mem:3").unwrap();

    // The JSON array of the resources' protobuf messages.
    let array = serde_json::Value::Array(resources.iter().map(mesos::json::to_json).collect());

    // Back into messages, then into `Resources`.
    let parse = mesos::json::parse_array::<Resource>(&array);
    assert!(parse.is_ok());

    assert_eq!(resources, Resources::from(parse.unwrap()));

    // One document with newlines, the next ones without.
    let json_string = r#"[
  {
    "name": "cpus",
    "type": "SCALAR",
    "scalar": {
      "value": 45.55
    }
  }
]"#;

    let resources_try = Resources::parse(json_string);
    assert!(resources_try.is_ok());

    let cpu_resources = resources_try.unwrap();
    let cpus = cpu_resources.iter().next().unwrap().clone();

    assert_eq!(value::Type::Scalar, cpus.r#type());
    assert_eq!(45.55, cpus.scalar.as_ref().unwrap().value);

    assert_eq!(1, cpu_resources.len());

    let json_string = r#"[
  {
    "name": "ports",
    "type": "RANGES",
    "ranges": {
      "range": [
        {
          "begin": 10000,
          "end": 20000
        },
        {
          "begin": 30000,
          "end": 50000
        }
      ]
    }
  }
]"#
    .replace('\n', "");

    let resources_try = Resources::parse(&json_string);
    assert!(resources_try.is_ok());

    let port_resources = resources_try.unwrap();
    let ports = port_resources.iter().next().unwrap().clone();

    assert_eq!(value::Type::Ranges, ports.r#type());
    let range = &ports.ranges.as_ref().unwrap().range;
    assert_eq!(2, range.len());

    // The order of the ranges is not specified.
    if 10000 != range[0].begin {
        assert_eq!(30000u64, range[0].begin);
        assert_eq!(10000u64, range[1].begin);
    } else {
        assert_eq!(30000u64, range[1].begin);
    }

    let json_string = r#"[
  {
    "name": "pandas",
    "type": "SET",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    }
  }
]"#
    .replace('\n', "");

    let resources_try = Resources::parse(&json_string);
    assert!(resources_try.is_ok());

    let panda_resources = resources_try.unwrap();
    let pandas = panda_resources.iter().next().unwrap().clone();

    assert_eq!(value::Type::Set, pandas.r#type());
    let item = &pandas.set.as_ref().unwrap().item;
    assert_eq!(2, item.len());
    assert_eq!("pandas", pandas.name);

    // The order of the items is not specified.
    if "lun_lun" != item[0] {
        assert_eq!("yang_yang", item[0]);
        assert_eq!("lun_lun", item[1]);
    } else {
        assert_eq!("yang_yang", item[1]);
    }

    let json_string = r#"[
  {
    "name": "cpus",
    "type": "SCALAR",
    "scalar": {
      "value": 45.55
    }
  },
  {
    "name": "ports",
    "type": "RANGES",
    "ranges": {
      "range": [
        {
          "begin": 10000,
          "end": 20000
        },
        {
          "begin": 30000,
          "end": 50000
        }
      ]
    }
  },
  {
    "name": "pandas",
    "type": "SET",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    }
  }
]"#;

    let resources_try = Resources::parse(json_string);
    assert!(resources_try.is_ok());

    let r1 = resources_try.unwrap();

    let mut r2 = Resources::new();
    r2 += cpus;
    r2 += ports;
    r2 += pandas;

    assert_eq!(r1, r2);
}

#[test]
fn parsing_from_json_with_roles() {
    let json_string = r#"[
  {
    "name": "cpus",
    "type": "SCALAR",
    "scalar": {
      "value": 45.55
    },
    "reservations": [
      {
        "type": "STATIC",
        "role": "role1"
      }
    ]
  }
]"#;

    let resources_try = Resources::parse(json_string);
    assert!(resources_try.is_ok());

    let cpu_resources = resources_try.unwrap();
    let cpus = cpu_resources.iter().next().unwrap().clone();

    assert_eq!(value::Type::Scalar, cpus.r#type());
    assert_eq!(45.55, cpus.scalar.as_ref().unwrap().value);
    assert_eq!("role1", resources::reservation_role(&cpus));

    let json_string = r#"[
  {
    "name": "cpus",
    "type": "SCALAR",
    "scalar": {
      "value": 54.44
    },
    "reservations": [
      {
        "type": "STATIC",
        "role": "role2"
      }
    ]
  }
]"#;

    let resources_try = Resources::parse(json_string);
    assert!(resources_try.is_ok());

    let cpu_resources2 = resources_try.unwrap();
    let cpus2 = cpu_resources2.iter().next().unwrap().clone();

    let mut resources = Resources::new();
    resources += cpus2;
    resources += &cpus;
    resources += &cpus;

    assert!(resources.contains(&Resources::from(cpus.clone())));
    assert_eq!(145.54, resources.cpus().unwrap());

    for resource in &resources {
        if resources::reservation_role(resource) == "role1" {
            assert_eq!(91.1, resource.scalar.as_ref().unwrap().value);
        } else {
            assert_eq!(54.44, resource.scalar.as_ref().unwrap().value);
        }
    }

    let json_string = r#"[
  {
    "name": "ports",
    "type": "RANGES",
    "ranges": {
      "range": [
        {
          "begin": 10000,
          "end": 20000
        },
        {
          "begin": 30000,
          "end": 50000
        }
      ]
    },
    "reservations": [
      {
        "type": "STATIC",
        "role": "role1"
      }
    ]
  },
  {
    "name": "pandas",
    "type": "SET",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    },
    "reservations": [
      {
        "type": "STATIC",
        "role": "panda_liason"
      }
    ]
  }
]"#;

    let resources_try = Resources::parse(json_string);
    assert!(resources_try.is_ok());

    resources = resources_try.unwrap();

    for resource in &resources {
        if resources::reservation_role(resource) == "role1" {
            assert_eq!(value::Type::Ranges, resource.r#type());
            assert_eq!(2, resource.ranges.as_ref().unwrap().range.len());
        } else {
            assert_eq!(value::Type::Set, resource.r#type());
            assert_eq!(2, resource.set.as_ref().unwrap().item.len());
        }
    }
}

#[test]
fn parsing_from_json_error() {
    // An object where an array is expected.
    let json_string = r#"{
  "name": "sad_pandas",
  "type": "SET",
  "set": {
    "item": [
      "bai_yun",
      "gao_gao"
    ]
  }
}"#;

    assert!(Resources::parse(json_string).is_err());

    // No comma between the array's elements.
    let json_string = r#"[
  {
    "name": "sad_pandas",
    "type": "SET",
    "set": {
      "item": [
        "bai_yun",
        "gao_gao"
      ]
    }
  }
  {
    "name": "happy_pandas",
    "type": "SET",
    "set": {
      "item": [
        "yun_zi",
        "xiao_liwu"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // No comma between the set's items.
    let json_string = r#"[
  {
    "name": "sad_pandas",
    "type": "SET",
    "set": {
      "item": [
        "bai_yun",
        "gao_gao"
      ]
    }
  },
  {
    "name": "happy_pandas",
    "type": "SET",
    "set": {
      "item": [
        "yun_zi",
        "xiao_liwu"
        "xi_lan"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // Nested arrays.
    let json_string = r#"[
  [
    {
      "name": "sad_pandas",
      "type": "SET",
      "set": {
        "item": [
          "bai_yun",
          "gao_gao"
        ]
      }
    },
    {
      "name": "happy_pandas",
      "type": "SET",
      "set": {
        "item": [
          "yun_zi",
          "xiao_liwu"
        ]
      }
    }
  ]
]"#;

    assert!(Resources::parse(json_string).is_err());

    // Two objects with no enclosing array.
    let json_string = r#"{
  "name": "sad_pandas",
  "type": "SET",
  "set": {
    "item": [
      "bai_yun",
      "gao_gao"
    ]
  }
},
{
  "name": "happy_pandas",
  "type": "SET",
  "set": {
    "item": [
      "yun_zi",
      "xiao_liwu"
    ]
  }
}"#;

    assert!(Resources::parse(json_string).is_err());

    // Text after the document.
    let json_string = r#"[
  {
    "name": "sad_pandas",
    "type": "SET",
    "set": {
      "item": [
        "bai_yun",
        "gao_gao"
      ]
    }
  }
]once upon a time there was a sad panda..."#;

    assert!(Resources::parse(json_string).is_err());

    // A list closed with a brace.
    let json_string = r#"[
  {
    "name": "pandas",
    "type": "SET",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      }
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // No "type".
    let json_string = r#"[
  {
    "name": "pandas",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // A blank name.
    let json_string = r#"[
  {
    "name": "",
    "type": "SET",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // A value type that does not exist.
    let json_string = r#"[
  {
    "name": "pandas",
    "type": "FLOATINGPOINT",
    "set": {
      "item": [
        "lun_lun",
        "yang_yang"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // A negative scalar (and empty ranges and set).
    let json_string = r#"[
  {
    "name": "panda_power",
    "type": "SCALAR",
    "scalar": {
      "value": -1
    }
  },
  {
    "name": "panda_window",
    "type": "RANGES",
    "ranges": {
      "range": []
    },
    "role": "role1"
  },
  {
    "name": "actual_pandas",
    "type": "SET",
    "set": {
      "item": []
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // One name used with two different types.
    let json_string = r#"[
  {
    "name": "happy_pandas",
    "type": "SCALAR",
    "scalar": {
      "value": 14
    }
  },
  {
    "name": "happy_pandas",
    "type": "SET",
    "set": {
      "item": [
        "yun_zi",
        "xiao_liwu",
        "xi_lan"
      ]
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // A persistent volume is not accepted here.
    let json_string = r#"[
  {
    "name" : "disk",
    "type" : "SCALAR",
    "scalar" : {
      "value" : 2048
    },
    "disk": {
      "persistence": {
        "id" : "persistent_volume_1"
      },
      "volume" : {
        "container_path" : "/var/lib/mesos/persist",
        "mode" : "RW"
      }
    }
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // Nor is a dynamic reservation.
    let json_string = r#"[
  {
    "name" : "disk",
    "type" : "SCALAR",
    "scalar" : {
      "value" : 2048
    },
    "reservations" : [{
      "role": "new_role"
      "principal" : "default_principal"
    }],
    "role": "*"
  }
]"#;

    assert!(Resources::parse(json_string).is_err());

    // Nor are revocable resources.
    let json_string = r#"[
  {
    "name": "cpus",
    "type": "SCALAR",
    "scalar": {
      "value": 54.44
    },
    "role": "role2",
    "revocable": {}
  }
]"#;

    assert!(Resources::parse(json_string).is_err());
}

#[test]
fn resources() {
    let mut r =
        Resources::parse("cpus:45.55;mem:1024;ports:[10000-20000, 30000-50000];disk:512").unwrap();

    assert!(r.cpus().is_some());
    assert_double_eq(45.55, r.cpus().unwrap());
    assert_eq!(Some(Bytes::megabytes(1024)), r.mem());
    assert_eq!(Some(Bytes::megabytes(512)), r.disk());

    assert!(r.ports().is_some());

    let ports = r.ports().unwrap().to_string();

    assert_eq!("[10000-20000, 30000-50000]", ports);

    r = Resources::parse("cpus:45.55;disk:512").unwrap();

    assert!(r.cpus().is_some());
    assert_double_eq(45.55, r.cpus().unwrap());
    assert_eq!(Some(Bytes::megabytes(512)), r.disk());
    assert!(r.mem().is_none());
    assert!(r.ports().is_none());
}

#[test]
#[allow(unused_assignments)]
fn move_construction() {
    let r =
        Resources::parse("cpus:45.55;mem:1024;ports:[10000-20000, 30000-50000];disk:512").unwrap();

    // Moving a `Resources`.
    let r1 = r.clone();
    let rr1 = r1;
    assert_eq!(r, rr1);

    // From a moved `Vec<Resource>`.
    let mut r2: Vec<Resource> = Vec::new();
    for resource in &r {
        r2.push(resource.clone());
    }
    let rr2 = Resources::from(r2);
    assert_eq!(r, rr2);

    // From a moved sequence of messages (upstream's RepeatedPtrField),
    // collected.
    let mut r3: Vec<Resource> = Vec::new();
    for resource in &r {
        r3.push(resource.clone());
    }
    let rr3: Resources = r3.into_iter().collect();
    assert_eq!(r, rr3);

    // Move assignment.
    let r4 = r.clone();
    let mut rr4 = Resources::new();
    rr4 = r4;
    assert_eq!(r, rr4);

    // From a moved `Resource`.
    let resource = Resources::parse_resource("cpu", "1.0", "*").unwrap();

    let r5 = resource.clone();
    let rr5 = Resources::from(r5);
    assert_eq!(Resources::from(resource), rr5);
}

#[test]
fn printing() {
    let r = Resources::parse("cpus:45.55;ports:[10000-20000, 30000-50000];disks:{sda1}").unwrap();

    let output = "cpus:45.55; ports:[10000-20000, 30000-50000]; disks:{sda1}";

    // Strict: this fixes the order of the resources and of the ranges.
    assert_eq!(output, r.to_string());
}

#[test]
fn printing_extended_attributes() {
    let mut disk = scalar_resource("disk", 1.0);

    // Unreserved.
    assert_eq!("disk:1", disk.to_string());

    // Statically reserved.
    disk.reservations
        .push(create_static_reservation_info("alice"));
    assert_eq!("disk(reservations: [(STATIC,alice)]):1", disk.to_string());

    // Allocated.
    disk.allocation_info = Some(AllocationInfo {
        role: Some("role".to_string()),
    });
    assert_eq!(
        "disk(allocated: role)(reservations: [(STATIC,alice)]):1",
        disk.to_string()
    );
    disk.allocation_info = None;

    // Revocable.
    disk.revocable = Some(RevocableInfo {});
    assert_eq!(
        "disk(reservations: [(STATIC,alice)]){REV}:1",
        disk.to_string()
    );
    disk.revocable = None;

    // A persistent volume.
    {
        let info = disk.disk.get_or_insert_with(DiskInfo::default);
        info.persistence.get_or_insert_with(Persistence::default).id = "hadoop".to_string();
        info.volume
            .get_or_insert_with(Volume::default)
            .container_path = "/data".to_string();
    }
    assert_eq!(
        "disk(reservations: [(STATIC,alice)])[hadoop:/data]:1",
        disk.to_string()
    );

    // `{REV}` is printed after the disk part.
    disk.revocable = Some(RevocableInfo {});
    assert_eq!(
        "disk(reservations: [(STATIC,alice)])[hadoop:/data]{REV}:1",
        disk.to_string()
    );
    disk.revocable = None;

    // With a host path.
    {
        let info = disk
            .disk
            .get_or_insert_with(DiskInfo::default)
            .volume
            .get_or_insert_with(Volume::default);
        info.host_path = Some("/hdfs".to_string());
        info.set_mode(volume::Mode::Rw);
    }
    assert_eq!(
        "disk(reservations: [(STATIC,alice)])[hadoop:/hdfs:/data:rw]:1",
        disk.to_string()
    );

    // A MOUNT disk.
    {
        let source = disk
            .disk
            .get_or_insert_with(DiskInfo::default)
            .source
            .get_or_insert_with(Source::default);
        source.set_type(disk_source::Type::Mount);
        source.mount.get_or_insert_with(Mount::default).root = Some("/mnt1".to_string());
    }
    assert_eq!(
        "disk(reservations: [(STATIC,alice)])[MOUNT:/mnt1,hadoop:/hdfs:/data:rw]:1",
        disk.to_string()
    );
    disk.disk.as_mut().unwrap().source = None;

    // A PATH disk.
    {
        let source = disk
            .disk
            .get_or_insert_with(DiskInfo::default)
            .source
            .get_or_insert_with(Source::default);
        source.set_type(disk_source::Type::Path);
        source.path.get_or_insert_with(Path::default).root = Some("/mnt2".to_string());
    }
    assert_eq!(
        "disk(reservations: [(STATIC,alice)])[PATH:/mnt2,hadoop:/hdfs:/data:rw]:1",
        disk.to_string()
    );
    disk.disk.as_mut().unwrap().source = None;

    // Refined by a dynamic reservation without labels.
    disk.reservations.push(create_dynamic_reservation_info(
        "alice/refined",
        Some("hdfs-p"),
        None,
    ));
    assert_eq!(
        "disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p)])\
         [hadoop:/hdfs:/data:rw]:1",
        disk.to_string()
    );

    // The dynamic reservation with labels.
    {
        let reservation = disk.reservations.last_mut().unwrap();
        let reservation_labels = reservation.labels.get_or_insert_with(Labels::default);
        reservation_labels
            .labels
            .push(create_label("foo", Some("bar")));
        reservation_labels.labels.push(create_label("foo", None));
    }
    assert_eq!(
        "disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p,\
         {foo: bar, foo})])[hadoop:/hdfs:/data:rw]:1",
        disk.to_string()
    );
}

#[test]
fn printing_scalar_precision() {
    let mut scalar = scalar_resource("cpus", 1.234);

    // Three decimal digits.
    assert_eq!("cpus:1.234", scalar.to_string());

    // Rounded to three decimal digits.
    scalar.scalar = Some(Scalar { value: 1.2345 });
    assert_eq!("cpus:1.235", scalar.to_string());

    scalar.scalar = Some(Scalar { value: 1.2344 });
    assert_eq!("cpus:1.234", scalar.to_string());

    // No trailing zeroes.
    scalar.scalar = Some(Scalar { value: 1.1 });
    assert_eq!("cpus:1.1", scalar.to_string());

    // Every digit of a large integer.
    scalar.scalar = Some(Scalar { value: 1000001.0 });
    assert_eq!("cpus:1000001", scalar.to_string());

    // The integral part is kept whole, the fraction cut to three digits.
    scalar.scalar = Some(Scalar {
        value: 99999999999.9994,
    });
    assert_eq!("cpus:99999999999.999", scalar.to_string());
}

#[test]
fn initialized_is_empty() {
    let r = Resources::new();
    assert!(r.is_empty());
}

#[test]
fn bad_resources_not_allocatable() {
    // No name.
    let mut cpus = Resource {
        scalar: Some(Scalar { value: 1.0 }),
        ..Default::default()
    };
    cpus.set_type(value::Type::Scalar);

    let mut r = Resources::new();
    r += cpus.clone();

    assert!(r.is_empty());

    // Zero.
    cpus.name = "cpus".to_string();
    cpus.scalar = Some(Scalar { value: 0.0 });

    r += cpus;

    assert!(r.is_empty());
}

#[test]
fn scalar_equals() {
    let cpus = Resources::parse_resource("cpus", "3", "*").unwrap();
    let mem = Resources::parse_resource("mem", "3072", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += &cpus;
    r1 += &mem;

    let mut r2 = Resources::new();
    r2 += &cpus;
    r2 += &mem;

    assert!(!r1.is_empty());
    assert!(!r2.is_empty());
    assert_eq!(r1, r2);

    let cpus1 = Resources::from(Resources::parse_resource("cpus", "3", "role1").unwrap());
    let cpus2 = Resources::from(Resources::parse_resource("cpus", "3", "role2").unwrap());

    assert_ne!(cpus1, cpus2);
}

#[test]
fn scalar_subset() {
    let cpus1 = Resources::parse_resource("cpus", "1", "*").unwrap();
    let mem1 = Resources::parse_resource("mem", "3072", "*").unwrap();

    let cpus2 = Resources::parse_resource("cpus", "1", "*").unwrap();
    let mem2 = Resources::parse_resource("mem", "4096", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += cpus1;
    r1 += mem1;

    let mut r2 = Resources::new();
    r2 += cpus2;
    r2 += mem2;

    assert!(r2.contains(&r1));
    assert!(!r1.contains(&r2));
}

#[test]
fn scalar_subset2() {
    let cpus1 = Resources::parse_resource("cpus", "1", "role1").unwrap();
    let cpus2 = Resources::parse_resource("cpus", "1", "role2").unwrap();

    let mut r1 = Resources::new();
    r1 += cpus1;

    let mut r2 = Resources::new();
    r2 += cpus2;

    assert!(!r2.contains(&r1));
    assert!(!r1.contains(&r2));

    let cpus3 = Resources::parse_resource("cpus", "3", "role1").unwrap();

    let mut r3 = Resources::new();
    r3 += cpus3;

    assert!(!r1.contains(&r3));
    assert!(!r2.contains(&r3));
    assert!(!r3.contains(&r2));
    assert!(r3.contains(&r1));
}

#[test]
fn scalar_addition() {
    let cpus1 = Resources::parse_resource("cpus", "1", "*").unwrap();
    let mem1 = Resources::parse_resource("mem", "5", "*").unwrap();

    let cpus2 = Resources::parse_resource("cpus", "2", "*").unwrap();
    let mem2 = Resources::parse_resource("mem", "10", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += &cpus1;
    r1 += &mem1;

    // Adding owned `Resource`s.
    let mut r2 = Resources::new();
    r2 += cpus2.clone();
    r2 += mem2.clone();

    let sum = &r1 + &r2;

    assert!(!sum.is_empty());
    assert_eq!(2, sum.len());
    assert_eq!(3.0, sum.get::<Scalar>("cpus").unwrap().value);
    assert_eq!(15.0, sum.get::<Scalar>("mem").unwrap().value);

    // Owned operands on either side.
    let sum1 = r1.clone() + &r2;
    let sum2 = &r1 + r2.clone();
    let sum3 = r1.clone() + r2.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);

    let mut r = r1.clone();
    r += &r2;

    assert!(!r.is_empty());
    assert_eq!(2, r.len());
    assert_eq!(3.0, r.get::<Scalar>("cpus").unwrap().value);
    assert_eq!(15.0, r.get::<Scalar>("mem").unwrap().value);
}

#[test]
fn scalar_addition2() {
    let cpus1 = Resources::parse_resource("cpus", "1", "role1").unwrap();
    let cpus2 = Resources::parse_resource("cpus", "3", "role2").unwrap();
    let cpus3 = Resources::parse_resource("cpus", "5", "role1").unwrap();

    let mut r1 = Resources::new();
    r1 += &cpus1;
    r1 += cpus2.clone(); // An owned `Resource`.

    let mut r2 = Resources::new();
    r2 += &cpus3;

    let sum = &r1 + &r2;

    assert!(!sum.is_empty());
    assert_eq!(2, sum.len());
    assert_eq!(9.0, sum.cpus().unwrap());
    assert_eq!(
        sum,
        Resources::parse("cpus(role1):6;cpus(role2):3").unwrap()
    );

    // Owned operands on either side.
    let sum1 = r1.clone() + &r2;
    let sum2 = &r1 + r2.clone();
    let sum3 = r1.clone() + r2.clone();

    assert_eq!(sum, sum1);
    assert_eq!(sum, sum2);
    assert_eq!(sum, sum3);
}

#[test]
fn scalar_subtraction() {
    let cpus1 = Resources::parse_resource("cpus", "50", "*").unwrap();
    let mem1 = Resources::parse_resource("mem", "4096", "*").unwrap();

    let cpus2 = Resources::parse_resource("cpus", "0.5", "*").unwrap();
    let mem2 = Resources::parse_resource("mem", "1024", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += cpus1;
    r1 += mem1;

    let mut r2 = Resources::new();
    r2 += cpus2;
    r2 += mem2;

    let diff = &r1 - &r2;

    assert!(!diff.is_empty());
    assert_eq!(49.5, diff.get::<Scalar>("cpus").unwrap().value);
    assert_eq!(3072.0, diff.get::<Scalar>("mem").unwrap().value);

    let mut r = r1.clone();
    r -= &r2;

    // Upstream checks `diff` again here, not `r`.
    assert_eq!(49.5, diff.get::<Scalar>("cpus").unwrap().value);
    assert_eq!(3072.0, diff.get::<Scalar>("mem").unwrap().value);

    r = r1.clone();
    r -= &r1;

    assert!(r.is_empty());
}

#[test]
fn scalar_subtraction2() {
    let cpus1 = Resources::parse_resource("cpus", "5", "role1").unwrap();
    let cpus2 = Resources::parse_resource("cpus", "3", "role2").unwrap();
    let cpus3 = Resources::parse_resource("cpus", "1", "role1").unwrap();

    let mut r1 = Resources::new();
    r1 += cpus1;
    r1 += cpus2;

    let mut r2 = Resources::new();
    r2 += cpus3;

    let diff = &r1 - &r2;

    assert!(!diff.is_empty());
    assert_eq!(2, diff.len());
    assert_eq!(7.0, diff.cpus().unwrap());
    assert_eq!(
        diff,
        Resources::parse("cpus(role1):4;cpus(role2):3").unwrap()
    );
}

#[test]
fn ranges_equals() {
    let ports1 = Resources::parse_resource("ports", "[20-40]", "*").unwrap();

    let ports2 = Resources::parse_resource("ports", "[20-30, 31-39, 40-40]", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += ports1;

    let mut r2 = Resources::new();
    r2 += ports2;

    assert_eq!(r1, r2);
}

#[test]
fn ranges_subset() {
    let ports1 = Resources::parse_resource("ports", "[2-2, 4-5]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[1-10]", "*").unwrap();
    let ports3 = Resources::parse_resource("ports", "[2-3]", "*").unwrap();
    let ports4 = Resources::parse_resource("ports", "[1-2, 4-6]", "*").unwrap();
    let ports5 = Resources::parse_resource("ports", "[1-4, 5-5]", "*").unwrap();

    assert_eq!(2, ports1.ranges.as_ref().unwrap().range.len());
    assert_eq!(1, ports2.ranges.as_ref().unwrap().range.len());
    assert_eq!(1, ports3.ranges.as_ref().unwrap().range.len());
    assert_eq!(2, ports4.ranges.as_ref().unwrap().range.len());
    assert_eq!(1, ports5.ranges.as_ref().unwrap().range.len());

    let mut r1 = Resources::new();
    r1 += ports1;

    let mut r2 = Resources::new();
    r2 += ports2;

    let mut r3 = Resources::new();
    r3 += ports3;

    let mut r4 = Resources::new();
    r4 += ports4;

    let mut r5 = Resources::new();
    r5 += ports5;

    assert!(r2.contains(&r1));
    assert!(!r1.contains(&r2));
    assert!(!r3.contains(&r1));
    assert!(!r1.contains(&r3));
    assert!(r2.contains(&r3));
    assert!(!r3.contains(&r2));
    assert!(r4.contains(&r1));
    assert!(r2.contains(&r4));
    assert!(r5.contains(&r1));
    assert!(!r1.contains(&r5));
}

#[test]
fn ranges_addition() {
    let ports1 = Resources::parse_resource("ports", "[20000-40000]", "*").unwrap();

    let ports2 = Resources::parse_resource("ports", "[30000-50000, 10000-20000]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r += ports2.clone(); // An owned `Resource`.

    assert!(!r.is_empty());

    assert_some_ranges("[10000-50000]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_addition2() {
    let ports1 = Resources::parse_resource("ports", "[1-10, 5-30, 50-60]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[1-65, 70-80]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r += ports2.clone(); // An owned `Resource`.

    assert!(!r.is_empty());

    assert_some_ranges("[1-65, 70-80]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_addition3() {
    let ports1 = Resources::parse_resource("ports", "[1-2]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[3-4]", "*").unwrap();
    let ports3 = Resources::parse_resource("ports", "[7-8]", "*").unwrap();
    let ports4 = Resources::parse_resource("ports", "[5-6]", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += &ports1;
    r1 += ports2.clone(); // An owned `Resource`.

    assert!(!r1.is_empty());

    assert_some_ranges("[1-4]", r1.get::<Ranges>("ports"));

    let mut r2 = Resources::new();
    r2 += &ports3;
    r2 += ports4.clone(); // An owned `Resource`.

    assert!(!r2.is_empty());

    assert_some_ranges("[5-8]", r2.get::<Ranges>("ports"));

    r2 += &r1;

    assert!(!r2.is_empty());

    assert_some_ranges("[1-8]", r2.get::<Ranges>("ports"));
}

#[test]
fn ranges_addition4() {
    let ports1 = Resources::parse_resource("ports", "[1-4, 9-10, 20-22, 26-30]", "*").unwrap();

    let ports2 = Resources::parse_resource("ports", "[5-8, 23-25]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r += ports2.clone(); // An owned `Resource`.

    assert!(!r.is_empty());

    assert_some_ranges("[1-10, 20-30]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction() {
    let ports1 = Resources::parse_resource("ports", "[20000-40000]", "*").unwrap();

    let ports2 = Resources::parse_resource("ports", "[10000-20000, 30000-50000]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r -= &ports2;

    assert!(!r.is_empty());

    assert_some_ranges("[20001-29999]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction1() {
    let ports1 = Resources::parse_resource("ports", "[50000-60000]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[50000-50001]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r -= &ports2;

    assert!(!r.is_empty());

    assert_some_ranges("[50002-60000]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction2() {
    let ports1 = Resources::parse_resource("ports", "[50000-60000]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[50000-50000]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r -= &ports2;

    assert!(!r.is_empty());

    assert_some_ranges("[50001-60000]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction3() {
    let resources = Resources::parse("ports:[50000-60000]").unwrap();

    let resources_offered = Resources::parse("").unwrap();
    let resources_in_use = Resources::parse("ports:[50000-50001]").unwrap();

    let resources_free = &resources - (&resources_offered + &resources_in_use);

    assert!(!resources_free.is_empty());

    assert_some_ranges("[50002-60000]", resources_free.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction4() {
    let resources = Resources::parse("ports:[50000-60000]").unwrap();

    let mut resources_offered = Resources::new();
    resources_offered += &resources;
    resources_offered -= &resources;

    assert!(resources_offered.is_empty());
    assert!(resources_offered.get::<Ranges>("ports").is_none());
}

#[test]
fn ranges_subtraction5() {
    let ports1 = Resources::parse_resource("ports", "[1-10, 20-30, 40-50]", "*").unwrap();

    let ports2 = Resources::parse_resource("ports", "[2-9, 15-45, 48-50]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r -= &ports2;

    assert!(!r.is_empty());

    assert_some_ranges("[1-1, 10-10, 46-47]", r.get::<Ranges>("ports"));
}

#[test]
fn ranges_subtraction6() {
    let ports1 = Resources::parse_resource("ports", "[1-10]", "*").unwrap();
    let ports2 = Resources::parse_resource("ports", "[11-20]", "*").unwrap();

    let mut r = Resources::new();
    r += &ports1;
    r -= &ports2;

    assert!(!r.is_empty());

    assert_some_ranges("[1-10]", r.get::<Ranges>("ports"));
}

#[test]
fn set_equals() {
    let disks = Resources::parse_resource("disks", "{sda1}", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += &disks;

    let mut r2 = Resources::new();
    r2 += &disks;

    assert_eq!(r1, r2);
}

#[test]
fn set_subset() {
    let disks1 = Resources::parse_resource("disks", "{sda1,sda2}", "*").unwrap();

    let disks2 = Resources::parse_resource("disks", "{sda1,sda3,sda4,sda2}", "*").unwrap();

    let mut r1 = Resources::new();
    r1 += disks1;

    let mut r2 = Resources::new();
    r2 += disks2;

    assert!(!r1.is_empty());
    assert!(!r2.is_empty());
    assert!(r2.contains(&r1));
    assert!(!r1.contains(&r2));
}

#[test]
fn set_addition() {
    let disks1 = Resources::parse_resource("disks", "{sda1,sda2,sda3}", "*").unwrap();

    let disks2 = Resources::parse_resource("disks", "{sda1,sda2,sda3,sda4}", "*").unwrap();

    let mut r = Resources::new();
    r += &disks1;
    r += disks2.clone(); // An owned `Resource`.

    assert!(!r.is_empty());

    let set: Option<Set> = r.get::<Set>("disks");

    assert!(set.is_some());
    assert_eq!(4, set.unwrap().item.len());
}

#[test]
fn set_subtraction() {
    let disks1 = Resources::parse_resource("disks", "{sda1,sda2,sda3,sda4}", "*").unwrap();

    let disks2 = Resources::parse_resource("disks", "{sda2,sda3,sda4}", "*").unwrap();

    let mut r = Resources::new();
    r += &disks1;
    r -= &disks2;

    assert!(!r.is_empty());

    let set: Option<Set> = r.get::<Set>("disks");

    assert!(set.is_some());
    let set = set.unwrap();
    assert_eq!(1, set.item.len());
    assert_eq!("sda1", set.item[0]);
}

#[test]
#[allow(clippy::nonminimal_bool)]
fn empty_unequal() {
    let empty = Resources::parse("").unwrap();
    let cpus2 = Resources::parse("cpus:2").unwrap();

    assert!(!(empty == cpus2));
}

#[test]
fn reservations() {
    let unreserved = Resources::parse("cpus:1;mem:2;disk:4").unwrap();
    let role1 = Resources::parse("cpus(role1):2;mem(role1):4;disk(role1):8").unwrap();
    let role2 = Resources::parse("cpus(role2):4;mem(role2):8;disk(role2):6").unwrap();

    let resources = &unreserved + &role1 + &role2;

    let reserved: HashMap<String, Resources> = resources.reservations();

    assert_eq!(2, reserved.len());
    assert_eq!(role1, reserved["role1"]);
    assert_eq!(role2, reserved["role2"]);

    assert_eq!(role1, resources.reserved(Some("role1")));
    assert_eq!(role2, resources.reserved(Some("role2")));

    // "*" is not a reservation.
    assert_eq!(Resources::new(), resources.reserved(Some("*")));

    assert_eq!(unreserved, resources.unreserved());

    assert_eq!(&role1 + &role2, resources.reserved(None));
}

// A role can be allocated its own reservations, its ancestors' and the
// unreserved resources.
#[test]
fn hierarchical_reservations() {
    let unreserved = Resources::parse("cpus:1;mem:2;disk:4").unwrap();
    let grandfather = Resources::parse("cpus(a):2;mem(a):4;disk(a):8").unwrap();
    let father = Resources::parse("cpus(a/bx):4;mem(a/bx):8;disk(a/bx):16").unwrap();
    let uncle = Resources::parse("cpus(a/b):4;mem(a/b):8;disk(a/b):16").unwrap();
    let child = Resources::parse("cpus(a/bx/c):8;mem(a/bx/c):16;disk(a/bx/c):32").unwrap();

    let family = &unreserved + &grandfather + &father + &uncle + &child;

    assert_eq!(unreserved, family.allocatable_to("*"));

    assert_eq!(&grandfather + &unreserved, family.allocatable_to("a"));

    assert_eq!(
        &grandfather + &father + &unreserved,
        family.allocatable_to("a/bx")
    );

    assert_eq!(
        &grandfather + &father + &child + &unreserved,
        family.allocatable_to("a/bx/c")
    );
}

#[test]
fn to_unreserved() {
    let cpus1 = Resources::parse_resource("cpus", "1", "role1").unwrap();
    let cpus2 = Resources::parse_resource("cpus", "2", "role2").unwrap();
    let mem1 = Resources::parse_resource("mem", "5", "role1").unwrap();

    let mut r = Resources::new();
    r += &cpus1;
    r += &cpus2;
    r += &mem1;

    assert_eq!(r.to_unreserved(), Resources::parse("cpus:3;mem:5").unwrap());
}

#[test]
fn find() {
    let resources1 = Resources::parse("cpus(role1):2;mem(role1):10;cpus:4;mem:20").unwrap();
    let targets1 = Resources::parse("cpus(role1):3;mem(role1):15").unwrap();

    assert_eq!(
        Some(Resources::parse("cpus(role1):2;mem(role1):10;cpus:1;mem:5").unwrap()),
        resources1.find(&targets1)
    );

    let resources2 = Resources::parse(
        "cpus(role1):1;mem(role1):5;cpus(role2):2;\
         mem(role2):8;cpus:1;mem:7",
    )
    .unwrap();
    let targets2 = Resources::parse("cpus(role1):3;mem(role1):15").unwrap();

    assert_eq!(
        Some(
            Resources::parse(
                "cpus(role1):1;mem(role1):5;cpus:1;mem:7;\
                 cpus(role2):1;mem(role2):3",
            )
            .unwrap()
        ),
        resources2.find(&targets2)
    );

    let resources3 = Resources::parse("cpus(role1):5;mem(role1):5;cpus:5;mem:5").unwrap();
    let targets3 = Resources::parse("cpus:6;mem:6").unwrap();

    assert_eq!(
        Some(Resources::parse("cpus:5;mem:5;cpus(role1):1;mem(role1):1").unwrap()),
        resources3.find(&targets3)
    );

    let resources4 = Resources::parse("cpus(role1):1;mem(role1):1").unwrap();
    let targets4 = Resources::parse("cpus(role1):2;mem(role1):2").unwrap();

    assert!(resources4.find(&targets4).is_none());
}

#[test]
fn shrink_to_quantities() {
    let shrink = |resources: &Resources, quantities: &str| {
        let quantities = ResourceQuantities::from_string(quantities).unwrap();
        shrink_resources(resources, quantities)
    };

    // Nothing to shrink.
    let empty = Resources::new();
    assert_eq!(empty, shrink(&empty, ""));
    assert_eq!(empty, shrink(&empty, "cpus:1"));

    // One resource.
    let cpu1 = Resources::parse("cpus:1").unwrap();
    assert_eq!(empty, shrink(&cpu1, ""));

    let cpu2 = Resources::parse("cpus:2").unwrap();
    assert_eq!(cpu1, shrink(&cpu2, "cpus:1"));

    // Several resources; names absent from the target are dropped.
    let cpu2mem20 = Resources::parse("cpus:2;mem:20").unwrap();
    let cpu1mem10 = Resources::parse("cpus:1;mem:10").unwrap();
    assert_eq!(cpu1mem10, shrink(&cpu2mem20, "cpus:1;mem:10"));
    assert_eq!(cpu1mem10, shrink(&cpu2mem20, "cpus:1;mem:10;disk:10"));
    assert_eq!(cpu1, shrink(&cpu2mem20, "cpus:1"));

    // A mount disk cannot be split.
    let mount_disk20 = Resources::from(create_disk_resource(
        "20",
        "role",
        None,
        None,
        Some(create_disk_source_mount(Some("mnt"), None, None)),
        false,
    ));
    assert_eq!(Resources::new(), shrink(&mount_disk20, "disk:10"));

    // With 10 regular plus 10 mount disk, which half is kept is random:
    // over many tries the result must differ from the first at least once.
    let regular_disk10 = Resources::parse("disk:10").unwrap();
    let mount_disk10 = Resources::from(create_disk_resource(
        "10",
        "role",
        None,
        None,
        Some(create_disk_source_mount(Some("mnt"), None, None)),
        false,
    ));
    let combined_disk20 = regular_disk10 + mount_disk10;

    let shrunk10 = shrink(&combined_disk20, "disk:10");

    let count = 1000;
    let mut at_least_different_once = false;

    for _ in 0..count {
        if shrink(&combined_disk20, "disk:10") != shrunk10 {
            at_least_different_once = true;
            break;
        }
    }
    assert!(at_least_different_once);
}

#[test]
fn shrink_to_limits() {
    let shrink = |resources: &Resources, limits: &str| {
        let limits = ResourceLimits::from_string(limits).unwrap();
        shrink_resources_to_limits(resources, limits)
    };

    // Nothing to shrink.
    let empty = Resources::new();
    assert_eq!(empty, shrink(&empty, ""));
    assert_eq!(empty, shrink(&empty, "cpus:1"));

    // One resource; no limit means no shrinking.
    let cpu1 = Resources::parse("cpus:1").unwrap();
    assert_eq!(cpu1, shrink(&cpu1, ""));

    let cpu2 = Resources::parse("cpus:2").unwrap();
    assert_eq!(cpu1, shrink(&cpu2, "cpus:1"));

    // Several resources; names absent from the limits are kept whole.
    let cpu2mem20 = Resources::parse("cpus:2;mem:20").unwrap();
    let cpu1mem10 = Resources::parse("cpus:1;mem:10").unwrap();
    assert_eq!(cpu1mem10, shrink(&cpu2mem20, "cpus:1;mem:10"));
    assert_eq!(cpu1mem10, shrink(&cpu2mem20, "cpus:1;mem:10;disk:10"));

    let cpu1mem20 = Resources::parse("cpus:1;mem:20").unwrap();
    assert_eq!(cpu1mem20, shrink(&cpu2mem20, "cpus:1"));

    // A mount disk cannot be split.
    let mount_disk20 = Resources::from(create_disk_resource(
        "20",
        "role",
        None,
        None,
        Some(create_disk_source_mount(Some("mnt"), None, None)),
        false,
    ));
    assert_eq!(Resources::new(), shrink(&mount_disk20, "disk:10"));

    // With 10 regular plus 10 mount disk, which half is kept is random:
    // over many tries the result must differ from the first at least once.
    let regular_disk10 = Resources::parse("disk:10").unwrap();
    let mount_disk10 = Resources::from(create_disk_resource(
        "10",
        "role",
        None,
        None,
        Some(create_disk_source_mount(Some("mnt"), None, None)),
        false,
    ));
    let combined_disk20 = regular_disk10 + mount_disk10;

    let shrunk10 = shrink(&combined_disk20, "disk:10");

    let count = 1000;
    let mut at_least_different_once = false;

    for _ in 0..count {
        if shrink(&combined_disk20, "disk:10") != shrunk10 {
            at_least_different_once = true;
            break;
        }
    }
    assert!(at_least_different_once);
}

#[test]
fn get() {
    let cpus = Resources::parse("cpus(role1):2;cpus:4").unwrap();
    let mem = Resources::parse("mem(role1):10;mem:10").unwrap();

    assert_eq!(cpus, (&cpus + &mem).named("cpus"));
    assert_eq!(mem, (&cpus + &mem).named("mem"));
}

#[test]
fn names() {
    let resources = Resources::parse("cpus(role1):2;cpus:4;mem(role1):10;mem:10").unwrap();

    let names: std::collections::BTreeSet<String> = ["cpus", "mem"]
        .iter()
        .map(|name| name.to_string())
        .collect();
    assert_eq!(names, resources.names());
}

#[test]
fn types() {
    let resources = Resources::parse("cpus(role1):2;cpus:4;ports:[1-10];ports:[11-20]").unwrap();

    let types: std::collections::BTreeMap<String, mesos::value::Type> = [
        ("cpus".to_string(), mesos::value::Type::Scalar),
        ("ports".to_string(), mesos::value::Type::Ranges),
    ]
    .into_iter()
    .collect();
    assert_eq!(types, resources.types());
}

#[test]
fn precision_simple() {
    let cpu = Resources::parse("cpus:1.001").unwrap();
    assert_eq!(1.001, cpu.cpus().unwrap());

    let r1 = cpu.clone() + &cpu + &cpu - &cpu - &cpu;

    assert_eq!(cpu, r1);
    assert_eq!(1.001, r1.cpus().unwrap());

    let zero = Resources::parse("cpus:0").unwrap();

    assert_eq!(cpu, &cpu - &zero);
    assert_eq!(cpu, &cpu + &zero);
}

#[test]
fn precision_many_ops() {
    let start = Resources::parse("cpus:1.001").unwrap();
    let mut current = start.clone();

    for _ in 0..2500 {
        let next = current.clone() + &current + &current - &current - &current;
        assert_eq!(1.001, next.cpus().unwrap());
        assert_eq!(current, next);
        assert_eq!(start, next);
        current = next;
    }
}

#[test]
fn precision_many_consecutive_ops() {
    let start = Resources::parse("cpus:1.001").unwrap();
    let increment = start.clone();
    let mut current = start.clone();

    for _ in 0..100_000 {
        current += &increment;
    }

    for _ in 0..100_000 {
        current -= &increment;
    }

    assert_eq!(start, current);
}

#[test]
fn precision_lost() {
    let cpu = Resources::parse("cpus:1.5011").unwrap();
    assert_eq!(1.501, cpu.cpus().unwrap());

    let r1 = cpu.clone() + &cpu + &cpu - &cpu - &cpu;

    assert_eq!(cpu, r1);
    assert_eq!(1.501, r1.cpus().unwrap());
}

#[test]
fn precision_rounding() {
    // Half-way values round away from zero.
    let cpu = Resources::parse("cpus:1.5015").unwrap();
    assert_eq!(1.502, cpu.cpus().unwrap());

    let r1 = cpu.clone() + &cpu + &cpu - &cpu - &cpu;

    assert_eq!(cpu, r1);
    assert_eq!(1.502, r1.cpus().unwrap());
}

#[test]
fn very_small_value() {
    let resources = Resources::parse("cpus:0.00001");
    assert!(resources.is_err());
}

#[test]
fn absent_resources() {
    let resources = Resources::parse("gpus:0");
    assert!(resources.is_ok());

    assert_eq!(0, resources.unwrap().len());
}

#[test]
fn contains_resource_quantities() {
    // Local closures, as upstream: `resources` is also a test in this module.
    let resources = |text: &str| Resources::parse(text).unwrap();
    let quantities = |text: &str| ResourceQuantities::from_string(text).unwrap();

    // Empty sides.
    let empty_resources = Resources::new();
    let empty_quantities = ResourceQuantities::default();

    assert!(empty_resources.contains_quantities(&empty_quantities));
    assert!(!empty_resources.contains_quantities(&quantities("cpus:1")));
    assert!(resources("cpus:1").contains_quantities(&empty_quantities));

    // One scalar.
    assert!(resources("cpus:2").contains_quantities(&quantities("cpus:1")));

    assert!(resources("cpus:1").contains_quantities(&quantities("cpus:1")));

    assert!(!resources("cpus:0.5").contains_quantities(&quantities("cpus:1")));

    // One range: its quantity is the number of ports.
    assert!(resources("ports:[1-3]").contains_quantities(&quantities("ports:2")));

    assert!(resources("ports:[1-2]").contains_quantities(&quantities("ports:2")));

    assert!(!resources("ports:[1-1]").contains_quantities(&quantities("ports:2")));

    // One set: its quantity is the number of items.
    assert!(resources("features:{a,b,c}").contains_quantities(&quantities("features:2")));

    assert!(resources("features:{a,b}").contains_quantities(&quantities("features:2")));

    assert!(!resources("features:{a}").contains_quantities(&quantities("features:2")));

    // Several kinds at once.
    assert!(resources("cpus:3;ports:[1-3];features:{a,b,c};mem:10")
        .contains_quantities(&quantities("cpus:3;ports:3;features:3")));

    assert!(resources("cpus:3;ports:[1-3];features:{a,b,c}")
        .contains_quantities(&quantities("cpus:3;ports:3;features:3")));

    assert!(!resources("cpus:1;ports:[1-3];features:{a,b,c}")
        .contains_quantities(&quantities("cpus:3;ports:3;features:3")));

    assert!(!resources("cpus:3;ports:[1-3]")
        .contains_quantities(&quantities("cpus:3;ports:3;features:3")));

    // Quantities of one name add up across reservations and other metadata.
    assert!(!resources("cpus(role1):2").contains_quantities(&quantities("cpus:3")));

    assert!(resources("cpus(role1):2;cpus:1").contains_quantities(&quantities("cpus:3")));

    let reservation = create_dynamic_reservation_info("role", Some("principal"), None);
    let mut resources_ =
        Resources::from(create_reserved_resource("ports", "[1-10]", &[reservation]));

    assert!(!resources_.contains_quantities(&quantities("ports:12")));

    // 10 + 6 = 16 ports.
    resources_ += Resources::parse("ports:[20-25]").unwrap();

    assert!(resources_.contains_quantities(&quantities("ports:12")));

    resources_ = Resources::from(create_persistent_volume(
        stout::Bytes::megabytes(64),
        "role1",
        "id1",
        "path1",
        None,
        None,
        Some("principal1"),
        true, // shared
    ));

    assert!(!resources_.contains_quantities(&quantities("disk:128")));

    // 64 + 64 MB.
    resources_ += Resources::parse("disk:64").unwrap();

    assert!(resources_.contains_quantities(&quantities("disk:128")));
}

// Extra `use` needed by the functions above: none (`std::collections`,
// `mesos::value::Type` and `stout::Bytes` are written out in full).

// ResourcesTest.Count and ResourcesTest.ReservationAncestor sit among the
// lines 3124-end suites; append only if nobody else ported them.

#[test]
fn count() {
    // Adding a shared disk to itself counts two copies.
    let shared_disk = create_disk_resource("100", "role1", Some("1"), Some("path1"), None, true);
    assert_eq!(1, Resources::from(shared_disk.clone()).count(&shared_disk));
    assert_eq!(
        2,
        (Resources::from(shared_disk.clone()) + &shared_disk).count(&shared_disk)
    );

    // A non-shared persistent volume cannot be added to itself.
    let non_shared_disk =
        create_disk_resource("100", "role1", Some("1"), Some("path1"), None, false);
    assert_eq!(
        1,
        Resources::from(non_shared_disk.clone()).count(&non_shared_disk)
    );
    assert_eq!(
        1,
        (Resources::from(non_shared_disk.clone()) + &non_shared_disk).count(&non_shared_disk)
    );

    // cpus:1 + cpus:1 is cpus:2, which holds no cpus:1 exactly.
    let cpus = Resources::parse_resource("cpus", "1", "*").unwrap();
    assert_eq!(1, Resources::from(cpus.clone()).count(&cpus));
    assert_eq!(0, (Resources::from(cpus.clone()) + &cpus).count(&cpus));
}

#[test]
fn reservation_ancestor() {
    let base_resources = Resources::parse("cpus:2;mem:10").unwrap();

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&base_resources, &base_resources)
    );

    let mut resources1 =
        base_resources.push_reservation(&create_dynamic_reservation_info("foo", None, None));

    assert_eq!(
        resources1,
        Resources::get_reservation_ancestor(&resources1, &resources1)
    );

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&resources1, &base_resources)
    );

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&base_resources, &resources1)
    );

    resources1 =
        resources1.push_reservation(&create_dynamic_reservation_info("foo/bar", None, None));

    assert_eq!(
        resources1,
        Resources::get_reservation_ancestor(&resources1, &resources1)
    );

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&resources1, &base_resources)
    );

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&base_resources, &resources1)
    );

    let resources2 =
        base_resources.push_reservation(&create_dynamic_reservation_info("foo", None, None));

    assert_eq!(
        resources2,
        Resources::get_reservation_ancestor(&resources1, &resources2)
    );

    assert_eq!(
        resources2,
        Resources::get_reservation_ancestor(&resources2, &resources1)
    );

    assert_ne!(
        resources1,
        Resources::get_reservation_ancestor(&base_resources, &resources2)
    );

    assert_eq!(
        base_resources,
        Resources::get_reservation_ancestor(&base_resources, &resources2)
    );

    let resources3 =
        resources2.push_reservation(&create_dynamic_reservation_info("foo/baz", None, None));

    assert_eq!(
        resources2,
        Resources::get_reservation_ancestor(&resources1, &resources3)
    );
}

// Extra `use` needed: none.
