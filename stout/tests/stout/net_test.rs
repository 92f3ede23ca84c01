use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use stout::net::{self, IpNetwork};

fn v4(bits: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(bits))
}

#[test]
fn construct_ipv4() {
    assert!(net::parse_ipv4("127.0.0.1").is_ok());
    assert!(net::parse_ipv4("1.2.3.4").is_ok());
    for bad in ["123.1.1..2", "121.2.3.5.", "12.32.3.a", "hello world"] {
        assert!(net::parse_ipv4(bad).is_err(), "{bad}");
        assert!(net::parse_ip(bad).is_err(), "{bad}");
    }
    assert_eq!(
        net::parse_ipv4("1.2.3.4").unwrap(),
        Ipv4Addr::from(0x01020304)
    );

    let loopback = net::parse_ip("127.0.0.1").unwrap();
    let any = net::parse_ip("0.0.0.0").unwrap();
    assert!(loopback.is_loopback());
    assert!(any.is_unspecified());
    assert_ne!(loopback, any);
    assert!(loopback > any);
    assert!(any < loopback);
}

#[test]
fn construct_ipv6() {
    for good in ["::1", "fe80::eef4:bbff:fe33:a9c7", "::192.9.5.5"] {
        assert!(net::parse_ipv6(good).is_ok(), "{good}");
        assert!(net::parse_ip(good).unwrap().is_ipv6(), "{good}");
    }
    for bad in ["1::1::1", "121.2.3.5", "fe80:2:a", "hello world"] {
        assert!(net::parse_ipv6(bad).is_err(), "{bad}");
    }
    let loopback = IpAddr::V6(Ipv6Addr::LOCALHOST);
    assert_eq!(net::parse_ip("::1").unwrap(), loopback);
    assert!(loopback.is_loopback());
    assert!(!loopback.is_unspecified());
    let any = net::parse_ip("::").unwrap();
    assert!(any.is_unspecified());
    assert!(!any.is_loopback());
    assert_ne!(loopback, any);
    assert!(loopback > any);
    assert!(any < loopback);
}

#[test]
fn construct_ipv4_network() {
    for good in ["10.135.0.1/8", "192.168.1.1/16", "172.39.13.123/31"] {
        assert!(IpNetwork::parse(good).is_ok(), "{good}");
    }
    for bad in [
        "123.1.1.2//23",
        "121.2.3.5/23/",
        "12.32.3.a/16",
        "hello moto/8",
    ] {
        assert!(IpNetwork::parse(bad).is_err(), "{bad}");
    }
    assert!(!IpNetwork::parse("::1/128").unwrap().address().is_ipv4());

    let address = v4(0x12345678);
    for mask in [0xffff0000, 0xf0000000, 0xffffffff, 0] {
        assert!(
            IpNetwork::with_netmask(address, v4(mask)).is_ok(),
            "{mask:x}"
        );
    }
    assert!(IpNetwork::with_netmask(v4(0x87654321), v4(0xff)).is_err());
    assert!(IpNetwork::with_netmask(v4(0x87654321), v4(0xff00ff)).is_err());

    for (prefix, text) in [
        (16, "18.52.86.120/16"),
        (32, "18.52.86.120/32"),
        (0, "18.52.86.120/0"),
    ] {
        assert_eq!(
            IpNetwork::new(address, prefix).unwrap(),
            IpNetwork::parse(text).unwrap()
        );
    }
    assert!(IpNetwork::new(address, 123).is_err());
    assert!(IpNetwork::new(address, -1).is_err());

    let network = IpNetwork::with_netmask(v4(0x01020304), v4(0xff000000)).unwrap();
    assert_eq!(network.address(), v4(0x01020304));
    assert_eq!(network.netmask(), v4(0xff000000));
    assert_eq!(network.to_string(), "1.2.3.4/8");
    assert_eq!(IpNetwork::parse(&network.to_string()).unwrap(), network);
}

#[test]
fn construct_ipv6_network() {
    for good in [
        "::/128",
        "fe80::d/64",
        "2001:cdba:0000:0000:0000:0000:3257:9652/16",
    ] {
        assert!(IpNetwork::parse(good).is_ok(), "{good}");
    }
    assert!(IpNetwork::parse("hello moto/8").is_err());
    assert!(IpNetwork::parse("10.135.0.1/8")
        .unwrap()
        .address()
        .is_ipv4());

    assert_eq!(IpAddr::V6(Ipv6Addr::LOCALHOST).to_string(), "::1");
    let address = net::parse_ip("2001:cdba::3257:9652").unwrap();
    let netmask1 = net::parse_ip("ff80::").unwrap();
    assert!(net::parse_ip("ffff:ffff:e000::").is_ok());
    assert!(IpNetwork::with_netmask(address, netmask1).is_ok());
    assert!(IpNetwork::with_netmask(address, net::parse_ip("::1").unwrap()).is_err());

    let loopback = IpAddr::V6(Ipv6Addr::LOCALHOST);
    for (prefix, text) in [(53, "::1/53"), (128, "::1/128"), (0, "::1/0")] {
        assert_eq!(
            IpNetwork::new(loopback, prefix).unwrap(),
            IpNetwork::parse(text).unwrap()
        );
    }
    assert!(IpNetwork::new(loopback, -3).is_err());
    assert!(IpNetwork::new(loopback, 182).is_err());

    let network = IpNetwork::with_netmask(address, netmask1).unwrap();
    assert_eq!(network.address(), address);
    assert_eq!(network.netmask(), netmask1);
    assert_eq!(network.to_string(), "2001:cdba::3257:9652/9");
    assert_eq!(IpNetwork::parse(&network.to_string()).unwrap(), network);
}

#[test]
fn copy_ip_network() {
    for text in ["192.168.1.1/16", "::1/128"] {
        let network = IpNetwork::parse(text).unwrap();
        let copy = network;
        assert_eq!(copy, network);
    }
}

// Beyond the C++ suite: resolution and the advertised address.
#[test]
fn resolve_and_advertise() {
    assert_eq!(net::resolve("127.0.0.1").unwrap(), v4(0x7f000001));
    assert!(net::resolve("localhost").unwrap().is_loopback());
    assert!(net::resolve("host.invalid").is_err());
    let bound = v4(0x7f000001);
    assert_eq!(net::advertise_address(bound).unwrap(), bound);
    let advertised = net::advertise_address(v4(0)).unwrap();
    assert!(!advertised.is_unspecified());
}
