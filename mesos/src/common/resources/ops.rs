//! `Resources` arithmetic and conversions: `+`, `-`, `+=`, `-=` with a
//! `Resource` or `Resources` on the right, by value or by reference, and
//! Mesos' `==` (each contains the other).

use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::sync::Arc;

use super::{Item, Resources};
use crate::Resource;

impl AddAssign<Resource> for Resources {
    /// Adds a resource; an invalid one is ignored.
    fn add_assign(&mut self, that: Resource) {
        let item = Item::from(that);
        if item.validate() {
            self.add(Arc::new(item));
        }
    }
}

impl AddAssign<&Resource> for Resources {
    fn add_assign(&mut self, that: &Resource) {
        *self += that.clone();
    }
}

impl AddAssign<&Resources> for Resources {
    fn add_assign(&mut self, that: &Resources) {
        for item in &that.items {
            self.add(Arc::clone(item));
        }
    }
}

impl AddAssign<Resources> for Resources {
    fn add_assign(&mut self, that: Resources) {
        for item in that.items {
            self.add(item);
        }
    }
}

impl SubAssign<Resource> for Resources {
    /// Takes a resource out; an invalid one is ignored.
    fn sub_assign(&mut self, that: Resource) {
        *self -= &that;
    }
}

impl SubAssign<&Resource> for Resources {
    fn sub_assign(&mut self, that: &Resource) {
        let item = Item::from(that.clone());
        if item.validate() {
            self.subtract(&item);
        }
    }
}

impl SubAssign<&Resources> for Resources {
    fn sub_assign(&mut self, that: &Resources) {
        for item in &that.items {
            self.subtract(item);
        }
    }
}

impl SubAssign<Resources> for Resources {
    fn sub_assign(&mut self, that: Resources) {
        *self -= &that;
    }
}

/// `a + b` and `a - b` for every right-hand side `+=` and `-=` take, with
/// the left side by value (reused) or by reference (cloned).
macro_rules! binary_operators {
    ($($rhs:ty),*) => {$(
        impl Add<$rhs> for Resources {
            type Output = Resources;
            fn add(mut self, that: $rhs) -> Resources {
                self += that;
                self
            }
        }

        impl Add<$rhs> for &Resources {
            type Output = Resources;
            fn add(self, that: $rhs) -> Resources {
                self.clone() + that
            }
        }

        impl Sub<$rhs> for Resources {
            type Output = Resources;
            fn sub(mut self, that: $rhs) -> Resources {
                self -= that;
                self
            }
        }

        impl Sub<$rhs> for &Resources {
            type Output = Resources;
            fn sub(self, that: $rhs) -> Resources {
                self.clone() - that
            }
        }
    )*};
}

binary_operators!(Resource, &Resource, Resources, &Resources);

impl PartialEq for Resources {
    /// Mesos' `==`: each contains the other, however they are split.
    fn eq(&self, that: &Resources) -> bool {
        self.contains(that) && that.contains(self)
    }
}

impl From<Resource> for Resources {
    /// The resource alone; nothing if it is invalid or empty.
    fn from(resource: Resource) -> Resources {
        let mut resources = Resources::new();
        resources += resource;
        resources
    }
}

impl From<Vec<Resource>> for Resources {
    /// The valid resources among `resources`, merged.
    fn from(resources: Vec<Resource>) -> Resources {
        resources.into_iter().collect()
    }
}

impl From<&[Resource]> for Resources {
    fn from(resources: &[Resource]) -> Resources {
        resources.iter().cloned().collect()
    }
}

impl From<Resources> for Vec<Resource> {
    fn from(resources: Resources) -> Vec<Resource> {
        resources
            .items
            .into_iter()
            .map(|item| Arc::unwrap_or_clone(item).resource)
            .collect()
    }
}

impl FromIterator<Resource> for Resources {
    fn from_iter<I: IntoIterator<Item = Resource>>(resources: I) -> Resources {
        let mut result = Resources::new();
        for resource in resources {
            result += resource;
        }
        result
    }
}

impl Sum for Resources {
    fn sum<I: Iterator<Item = Resources>>(all: I) -> Resources {
        all.fold(Resources::new(), |sum, resources| sum + resources)
    }
}

impl<'a> Sum<&'a Resources> for Resources {
    fn sum<I: Iterator<Item = &'a Resources>>(all: I) -> Resources {
        all.fold(Resources::new(), |sum, resources| sum + resources)
    }
}

impl<'a> IntoIterator for &'a Resources {
    type Item = &'a Resource;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The resources of a [`Resources`], in order.
#[derive(Clone, Debug)]
pub struct Iter<'a>(pub(super) std::slice::Iter<'a, Arc<Item>>);

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Resource;

    fn next(&mut self) -> Option<&'a Resource> {
        self.0.next().map(|item| &item.resource)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|item| &item.resource)
    }
}
