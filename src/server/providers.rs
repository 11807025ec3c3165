//! Clients of the social networks' APIs, one module per network family. Every base URL comes
//! from configuration, so the same code talks to the real API or to `server::sandbox`.

pub mod meta;
