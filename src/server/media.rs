//! The media library on the server: uploads streamed into the media store, what each file is
//! read from its bytes, the pictures made from it for each network, and the public addresses
//! the networks fetch them from.

pub mod images;
pub mod library;
pub mod probe;
pub mod routes;
pub mod storage;
pub mod upload;
