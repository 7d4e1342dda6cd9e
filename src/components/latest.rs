//! `Latest`: the page state as the page last rendered it, for the callbacks of a component that re-renders only when what it shows changes.
//!
//! A component that compares its props by what it shows (the toolbar, the spreadsheet
//! tools) is not re-rendered by a lever move, so a callback it built at its last render
//! would hold the document of that render. Its callbacks read the state from here at the
//! moment they run instead; the page writes it on each of its renders.

use std::cell::RefCell;
use std::rc::Rc;

use crate::state::PageState;

/// A shared cell holding the page state last rendered; equal only to its own clones.
#[derive(Clone, Debug, Default)]
pub struct Latest(Rc<RefCell<Option<PageState>>>);

impl PartialEq for Latest {
    fn eq(&self, other: &Latest) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Latest {
    /// Records `state` as the one on screen.
    pub fn set(&self, state: PageState) {
        *self.0.borrow_mut() = Some(state);
    }

    /// The state on screen, or `fallback` (the state of the caller's own render) if the
    /// page never wrote one.
    pub fn get_or(&self, fallback: &PageState) -> PageState {
        self.0.borrow().clone().unwrap_or_else(|| fallback.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::UiState;

    #[test]
    fn reads_the_state_last_written() {
        let first = PageState(Rc::new(UiState::new(delever_model::Lang::Zh)));
        let latest = Latest::default();
        assert!(Rc::ptr_eq(&latest.get_or(&first).0, &first.0));
        let second = PageState(Rc::new(UiState::new(delever_model::Lang::En)));
        latest.clone().set(second.clone());
        assert!(Rc::ptr_eq(&latest.get_or(&first).0, &second.0));
        assert!(latest == latest.clone() && latest != Latest::default());
    }
}
