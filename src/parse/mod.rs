//! From bytes on disk to an element tree with spans, and from folders and archives to a project.

pub mod archive;
pub mod decode;
pub mod discover;
pub mod javascript;
pub mod load;
pub mod read_errors;
pub mod suppress;
pub mod xml;
