//! One form field: its label, the input (given as children, since inputs differ in every other
//! attribute), and an optional hint the input points at with `aria-describedby="{id}-hint"`.

use leptos::prelude::*;

#[component]
pub fn Field(
    /// The `id` of the input inside.
    input_id: &'static str,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=input_id>{label}</label>
            {children()}
            {hint.map(|hint| view! { <p id=format!("{input_id}-hint") class="hint">{hint}</p> })}
        </div>
    }
}
