//! Hand-computed tables: tiny scenarios whose numbers are worked out from MODEL.md in the comments.
