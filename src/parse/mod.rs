//! From bytes on disk to an element tree with spans, and from a folder to a project.

pub mod decode;
pub mod discover;
pub mod load;
pub mod suppress;
pub mod xml;
