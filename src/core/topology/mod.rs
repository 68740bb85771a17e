//! Topology of polygons as drawn: validity ([`validate()`]), repair ([`repair`]), snapping of
//! boundaries from different sources ([`snap`]) and the overlay (intersection, union,
//! difference and slicing on the coordinates, [`overlay`]).
//!
//! Every polygon is validated when its layer loads; an invalid one is repaired by one rule for
//! analysis (the file is never changed) and the layer says what was done, so that every figure
//! computed from it agrees with every other.

mod chains;
mod clip;
mod cycles;
pub mod dissolve;
pub mod overlay;
pub mod relate;
mod runs;
pub(crate) use clip::clip_ring;
pub(crate) use runs::EdgeRuns;
pub mod repair;
mod shared_edges;
pub mod snap;
pub mod validate;
mod west;

pub use repair::make_valid;
pub use snap::{DEFAULT_SNAP_M, SnapStats, SnapTarget};
pub use validate::{Fault, Problem, validate};
