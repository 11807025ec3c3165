//! The `fields=` selector (§0.2): `id,name,picture.type(large),instagram_business_account{id,username}`.

use super::errors::GraphError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Field {
    pub name: String,
    /// `.type(large)` → ("type", "large").
    pub modifiers: Vec<(String, String)>,
    /// The fields asked of the nested object, from `{…}`.
    pub children: Vec<Field>,
}

impl Field {
    pub fn named(name: &str) -> Field {
        Field {
            name: name.to_owned(),
            modifiers: Vec::new(),
            children: Vec::new(),
        }
    }

    pub fn modifier(&self, name: &str) -> Option<&str> {
        self.modifiers
            .iter()
            .find(|(modifier, _)| modifier == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Fields to use when the request names none.
pub(super) fn defaults(names: &[&str]) -> Vec<Field> {
    names.iter().map(|name| Field::named(name)).collect()
}

pub(super) fn parse(selector: &str) -> Result<Vec<Field>, GraphError> {
    split_top_level(selector)?
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .map(parse_one)
        .collect()
}

fn syntax_error(near: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!("Syntax error in the fields parameter near \"{near}\""),
    )
}

/// Splits at the commas that are not inside `{…}` or `(…)`.
fn split_top_level(text: &str) -> Result<Vec<&str>, GraphError> {
    let mut parts = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    for (index, character) in text.char_indices() {
        match character {
            '{' | '(' => depth += 1,
            '}' | ')' => {
                depth -= 1;
                if depth < 0 {
                    return Err(syntax_error(text));
                }
            }
            ',' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err(syntax_error(text));
    }
    parts.push(&text[start..]);
    Ok(parts)
}

fn parse_one(text: &str) -> Result<Field, GraphError> {
    let text = text.trim();
    let name_end = text.find(['.', '{']).unwrap_or(text.len());
    let name = text[..name_end].trim();
    let valid_name =
        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid_name {
        return Err(syntax_error(text));
    }
    let mut field = Field::named(name);
    let mut rest = &text[name_end..];
    while !rest.is_empty() {
        if let Some(modifier) = rest.strip_prefix('.') {
            // Modifier arguments never nest: `summary(total_count)`, `limit(0)`, `type(large)`.
            let open = modifier.find('(').ok_or_else(|| syntax_error(text))?;
            let close = modifier.find(')').ok_or_else(|| syntax_error(text))?;
            if close < open {
                return Err(syntax_error(text));
            }
            field.modifiers.push((
                modifier[..open].trim().to_owned(),
                modifier[open + 1..close].trim().to_owned(),
            ));
            rest = &modifier[close + 1..];
        } else if rest.starts_with('{') {
            let close = matching_brace(rest).ok_or_else(|| syntax_error(text))?;
            field.children = parse(&rest[1..close])?;
            rest = &rest[close + 1..];
        } else {
            return Err(syntax_error(text));
        }
    }
    Ok(field)
}

/// The index of the `}` closing the `{` that `text` starts with.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (index, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(fields: &[Field]) -> Vec<&str> {
        fields.iter().map(|field| field.name.as_str()).collect()
    }

    #[test]
    fn plain_lists_split_on_commas() {
        let fields = parse("id,name, username").unwrap();
        assert_eq!(names(&fields), ["id", "name", "username"]);
    }

    #[test]
    fn modifiers_and_nested_fields_are_read() {
        let fields = parse(
            "id,picture.type(large),instagram_business_account{id,username,profile_picture_url}",
        )
        .unwrap();
        assert_eq!(
            names(&fields),
            ["id", "picture", "instagram_business_account"]
        );
        assert_eq!(fields[1].modifier("type"), Some("large"));
        assert_eq!(
            names(&fields[2].children),
            ["id", "username", "profile_picture_url"]
        );
    }

    #[test]
    fn modifiers_may_come_before_or_after_children() {
        let fields =
            parse("comments.limit(5){message,from{id}},reactions{id}.summary(true)").unwrap();
        assert_eq!(fields[0].modifier("limit"), Some("5"));
        assert_eq!(names(&fields[0].children), ["message", "from"]);
        assert_eq!(names(&fields[0].children[1].children), ["id"]);
        assert_eq!(fields[1].modifier("summary"), Some("true"));
    }

    #[test]
    fn unbalanced_or_garbled_selectors_are_refused_with_code_100() {
        for selector in ["id,picture{url", "id}", "pic ture", "picture.type", "a{b}c"] {
            let error = parse(selector).unwrap_err();
            assert_eq!(error.code, 100, "{selector}");
        }
    }

    #[test]
    fn empty_items_are_ignored() {
        assert_eq!(names(&parse("id,,name,").unwrap()), ["id", "name"]);
    }
}
