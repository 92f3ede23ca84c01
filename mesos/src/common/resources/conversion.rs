//! Operations on offered resources (RESERVE, UNRESERVE, CREATE, DESTROY,
//! GROW_VOLUME, SHRINK_VOLUME) as conversions: some resources are
//! consumed and others take their place (`ResourceConversion` and
//! `getResourceConversions` in Mesos).

use std::fmt;
use std::sync::Arc;

use stout::{Error, Try};

use super::resource::{has_resource_provider, scalar};
use super::Resources;
use crate::offer::operation::Type;
use crate::offer::Operation;
use crate::Resource;

/// A check run on the result of a conversion.
type PostValidation = Arc<dyn Fn(&Resources) -> Try<()> + Send + Sync>;

/// `consumed` is replaced by `converted`.
#[derive(Clone)]
pub struct ResourceConversion {
    /// What the conversion takes.
    pub consumed: Resources,
    /// What it gives back.
    pub converted: Resources,
    post_validation: Option<PostValidation>,
}

impl fmt::Debug for ResourceConversion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceConversion")
            .field("consumed", &self.consumed)
            .field("converted", &self.converted)
            .finish_non_exhaustive()
    }
}

impl ResourceConversion {
    /// A conversion of `consumed` into `converted`.
    pub fn new(consumed: impl Into<Resources>, converted: impl Into<Resources>) -> Self {
        ResourceConversion {
            consumed: consumed.into(),
            converted: converted.into(),
            post_validation: None,
        }
    }

    fn with_post_validation(mut self, check: PostValidation) -> Self {
        self.post_validation = Some(check);
        self
    }

    /// `resources` with `consumed` replaced by `converted`; an error if
    /// `resources` does not hold `consumed` or the result fails the
    /// conversion's check.
    pub fn apply(&self, resources: &Resources) -> Try<Resources> {
        if !resources.contains(&self.consumed) {
            return Err(Error::new(format!(
                "{} does not contain {}",
                resources, self.consumed
            )));
        }
        let mut result = resources.clone();
        result -= &self.consumed;
        result += &self.converted;
        if let Some(check) = &self.post_validation {
            check(&result)?;
        }
        Ok(result)
    }
}

/// The conversions an offer operation makes. Launches and the disk
/// operations of resource providers convert nothing here.
pub fn get_resource_conversions(operation: &Operation) -> Try<Vec<ResourceConversion>> {
    let kind = operation.r#type.map(Type::try_from);
    let mut conversions = Vec::new();
    match kind {
        None | Some(Err(_)) | Some(Ok(Type::Unknown)) => {
            return Err(Error::new("Unknown operation"));
        }
        Some(Ok(Type::Launch | Type::LaunchGroup | Type::CreateDisk | Type::DestroyDisk)) => {
            return Err(Error::new("Operation not supported"));
        }
        Some(Ok(Type::Reserve)) => {
            let reserve = operation.reserve.clone().unwrap_or_default();
            let reserved = Resources::from(reserve.resources);
            // Without an explicit source, the operation pushes one
            // reservation onto what it reserves.
            let consumed = if reserve.source.is_empty() {
                reserved.pop_reservation()
            } else {
                Resources::from(reserve.source)
            };
            conversions.push(ResourceConversion::new(consumed, reserved));
        }
        Some(Ok(Type::Unreserve)) => {
            for reserved in operation.unreserve.clone().unwrap_or_default().resources {
                let converted = Resources::from(reserved.clone()).pop_reservation();
                conversions.push(ResourceConversion::new(reserved, converted));
            }
        }
        Some(Ok(Type::Create)) => {
            for volume in operation.create.clone().unwrap_or_default().volumes {
                conversions.push(ResourceConversion::new(strip_volume(&volume), volume));
            }
        }
        Some(Ok(Type::Destroy)) => {
            for volume in operation.destroy.clone().unwrap_or_default().volumes {
                let stripped = strip_volume(&volume);
                let remaining = volume.clone();
                let check: PostValidation = Arc::new(move |result: &Resources| {
                    if result.contains_resource(&remaining) {
                        return Err(Error::new(format!(
                            "Persistent volume {} cannot be removed due to additional shared copies",
                            remaining
                        )));
                    }
                    Ok(())
                });
                conversions
                    .push(ResourceConversion::new(volume, stripped).with_post_validation(check));
            }
        }
        Some(Ok(Type::GrowVolume)) => {
            let grow = operation.grow_volume.clone().unwrap_or_default();
            let volume = grow.volume;
            let addition = grow.addition;
            if has_resource_provider(&volume) {
                return Err(Error::new("Operation not supported for resource provider"));
            }
            let mut grown = volume.clone();
            grown.scalar = Some(scalar(&volume) + scalar(&addition));
            conversions.push(ResourceConversion::new(
                Resources::from(volume) + addition,
                grown,
            ));
        }
        Some(Ok(Type::ShrinkVolume)) => {
            let shrink = operation.shrink_volume.clone().unwrap_or_default();
            let volume = shrink.volume;
            let subtract = shrink.subtract;
            if has_resource_provider(&volume) {
                return Err(Error::new("Operation not supported for resource provider"));
            }
            let mut freed = strip_volume(&volume);
            freed.scalar = Some(subtract);
            let mut shrunk = volume.clone();
            shrunk.scalar = Some(scalar(&volume) - subtract);
            conversions.push(ResourceConversion::new(
                volume,
                Resources::from(shrunk) + freed,
            ));
        }
    }
    Ok(conversions)
}

/// The disk a volume was made of: no persistence, no volume, not shared
/// (only volumes can be shared).
pub(crate) fn strip_volume(volume: &Resource) -> Resource {
    let mut stripped = volume.clone();
    match &mut stripped.disk {
        Some(disk) if disk.source.is_some() => {
            disk.persistence = None;
            disk.volume = None;
        }
        _ => stripped.disk = None,
    }
    stripped.shared = None;
    stripped
}

impl Resources {
    /// `self` after one conversion.
    pub fn apply_conversion(&self, conversion: &ResourceConversion) -> Try<Resources> {
        conversion.apply(self)
    }

    /// `self` after an offer operation. The amounts of cpus, gpus, mem,
    /// disk and ports never change.
    pub fn apply(&self, operation: &Operation) -> Try<Resources> {
        let conversions =
            get_resource_conversions(operation).map_err(|e| e.context("Cannot get conversions"))?;
        let mut result = self.clone();
        for conversion in &conversions {
            result = conversion.apply(&result)?;
        }
        let ports_equal = match (result.ports(), self.ports()) {
            (Some(a), Some(b)) => crate::common::values::Compare::equals(&a, &b),
            (a, b) => a.is_none() && b.is_none(),
        };
        if result.cpus() != self.cpus()
            || result.gpus() != self.gpus()
            || result.mem() != self.mem()
            || result.disk() != self.disk()
            || !ports_equal
        {
            // Mesos aborts here; the operation's resources were
            // inconsistent (a volume of another size, say).
            return Err(Error::new(format!(
                "Applying the operation changed the amounts of resources from {} to {}",
                self, result
            )));
        }
        Ok(result)
    }
}
