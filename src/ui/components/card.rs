//! A card: one titled part of a page (a settings section, say), named by its heading for
//! screen readers.

use leptos::prelude::*;

#[component]
pub fn Card(
    /// Unique on the page; the heading gets the id `{id}-heading`.
    id: &'static str,
    heading: &'static str,
    children: Children,
) -> impl IntoView {
    let heading_id = format!("{id}-heading");
    let labelled_by = heading_id.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            {children()}
        </section>
    }
}

/// A form's submit button, on a line of its own.
#[component]
pub fn SubmitButton(label: &'static str) -> impl IntoView {
    view! {
        <div>
            <button type="submit" class="button">
                {label}
            </button>
        </div>
    }
}
