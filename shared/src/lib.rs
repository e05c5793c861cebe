//! Baton's core: the wire protocol spoken by the widget, the inbox and the worker, and the
//! handover state machine. Sans-IO: callers pass events with the current time and carry out
//! the effects that come back; nothing here reads a clock or touches the network.

pub mod analytics;
pub mod handover;
pub mod limits;
pub mod presence;
pub mod protocol;
pub mod replies;
pub mod schema;
pub mod team;
