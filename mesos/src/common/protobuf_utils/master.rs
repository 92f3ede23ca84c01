//! What Mesos' `protobuf::master` holds that is not about the master's
//! own structures: its capabilities and the registry's minimum ones.

use crate::internal::registry::MinimumCapability;
use crate::master_info::capability::Type;
use crate::master_info::Capability;

/// The capabilities a Mesos 1.11 master announces
/// (`MASTER_CAPABILITIES()`): AGENT_UPDATE, AGENT_DRAINING, QUOTA_V2.
pub fn master_capabilities() -> Vec<Capability> {
    [Type::AgentUpdate, Type::AgentDraining, Type::QuotaV2]
        .into_iter()
        .map(|kind| {
            let mut capability = Capability::default();
            capability.set_type(kind);
            capability
        })
        .collect()
}

/// A master's capabilities as flags. Unknown capabilities are
/// dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// `AGENT_UPDATE`.
    pub agent_update: bool,
    /// `AGENT_DRAINING`.
    pub agent_draining: bool,
    /// `QUOTA_V2`.
    pub quota_v2: bool,
}

impl Capabilities {
    /// The flags of `capabilities` (a `MasterInfo`'s).
    pub fn new<'a>(capabilities: impl IntoIterator<Item = &'a Capability>) -> Capabilities {
        let mut result = Capabilities::default();
        for capability in capabilities {
            match capability.r#type() {
                Type::Unknown => {}
                Type::AgentUpdate => result.agent_update = true,
                Type::AgentDraining => result.agent_draining = true,
                Type::QuotaV2 => result.quota_v2 = true,
            }
        }
        result
    }
}

/// Adds `capability` (by name) to the registry's minimum
/// capabilities, unless it is there already.
pub fn add_minimum_capability(capabilities: &mut Vec<MinimumCapability>, capability: Type) {
    let name = capability.as_str_name();
    if !capabilities.iter().any(|c| c.capability == name) {
        capabilities.push(MinimumCapability {
            capability: name.to_string(),
        });
    }
}

/// Removes the first entry for `capability` from the registry's
/// minimum capabilities, if there is one.
pub fn remove_minimum_capability(capabilities: &mut Vec<MinimumCapability>, capability: Type) {
    let name = capability.as_str_name();
    if let Some(index) = capabilities.iter().position(|c| c.capability == name) {
        capabilities.remove(index);
    }
}

/// The `MasterInfo` Mesos derives from a master's pid alone
/// (`createMasterInfo`), as standalone detectors report it: an ID of
/// `<pid>-<uuid>`, the address, the version and the master's
/// capabilities. Mesos also looks the hostname up in DNS; this leaves it
/// out, since a detector must not touch the network.
pub fn create_master_info(pid: &libprocess::UPID) -> crate::MasterInfo {
    let address = pid.address();
    crate::MasterInfo {
        id: format!("{pid}-{}", libprocess::random::uuid()),
        // In network byte order, as Mesos stores it (MESOS-1201).
        ip: u32::from_ne_bytes(address.ip().octets()),
        port: u32::from(address.port()),
        pid: Some(pid.to_string()),
        version: Some(crate::MESOS_VERSION.to_string()),
        address: Some(crate::Address {
            hostname: None,
            ip: Some(address.ip().to_string()),
            port: i32::from(address.port()),
        }),
        capabilities: master_capabilities(),
        ..Default::default()
    }
}
