//! Everything people see: pages, and the components they share.

pub mod calendar;
pub mod components;
pub mod composer;
pub mod device;
pub mod pages;
