//! Mesos' built-in allocator, as plain data structures: so far only the
//! sorters that order roles and frameworks for allocation.

pub mod sorter;
