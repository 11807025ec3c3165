//! Generates the `i18n` module (typed keys for every message, in English and French) from
//! `locales/*.json`, so a key missing from the code is a compile error.

use std::path::PathBuf;

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let config = Config::new("en")?
        .add_locale("fr")?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    Ok(())
}
