//! What carrying a post needs from the browser: the calendar cell under a point, scrolling
//! when the pointer nears the top or bottom edge, holding the page still while a finger
//! carries a post, and focusing a post once it is put down. Only event handlers and effects
//! call these, and they run in the browser; on the server they do nothing.

/// A calendar cell a post can be put down in: a day, and in the week view an hour of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub hour: Option<u32>,
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::Cell as Flag;
    use std::sync::atomic::{AtomicBool, Ordering};

    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::Cell;

    /// How close to the window's edge (CSS pixels) the pointer scrolls the page, and by how
    /// much per move.
    const EDGE: f64 = 56.0;
    const STEP: f64 = 14.0;

    static CARRYING_BY_TOUCH: AtomicBool = AtomicBool::new(false);

    thread_local! {
        static HOLD_INSTALLED: Flag<bool> = const { Flag::new(false) };
    }

    pub fn cell_at(x: f64, y: f64) -> Option<Cell> {
        let document = web_sys::window()?.document()?;
        let cell = document
            .element_from_point(x as f32, y as f32)?
            .closest("[data-day]")
            .ok()??;
        Some(Cell {
            day: cell.get_attribute("data-day")?,
            hour: cell
                .get_attribute("data-hour")
                .and_then(|hour| hour.parse().ok()),
        })
    }

    pub fn scroll_near_edge(y: f64) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let height = window
            .inner_height()
            .ok()
            .and_then(|height| height.as_f64())
            .unwrap_or_default();
        if y < EDGE {
            window.scroll_by_with_x_and_y(0.0, -STEP);
        } else if y > height - EDGE {
            window.scroll_by_with_x_and_y(0.0, STEP);
        }
    }

    /// While `carrying`, a finger moving on the page moves the post, not the page. The
    /// listener must not be passive to be allowed to stop the scroll, which a handler
    /// attached the usual way on the window would be.
    pub fn hold_page(carrying: bool) {
        CARRYING_BY_TOUCH.store(carrying, Ordering::Relaxed);
        if HOLD_INSTALLED.with(|installed| installed.replace(true)) {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
            if CARRYING_BY_TOUCH.load(Ordering::Relaxed) {
                event.prevent_default();
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
            "touchmove",
            listener.as_ref().unchecked_ref(),
            &options,
        );
        // Installed once for the life of the page: it does nothing unless a post is carried.
        listener.forget();
    }

    pub fn focus_post(id: &str) {
        let selector = format!("[data-post=\"{id}\"]");
        let found = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.query_selector(&selector).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{cell_at, focus_post, hold_page, scroll_near_edge};

#[cfg(not(feature = "hydrate"))]
pub fn cell_at(_x: f64, _y: f64) -> Option<Cell> {
    None
}

#[cfg(not(feature = "hydrate"))]
pub fn scroll_near_edge(_y: f64) {}

#[cfg(not(feature = "hydrate"))]
pub fn hold_page(_carrying: bool) {}

#[cfg(not(feature = "hydrate"))]
pub fn focus_post(_id: &str) {}
