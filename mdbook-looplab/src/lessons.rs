//! The lessons a block may name: the project's one list, `src/lessons/lessons.json`,
//! read into this program when it is compiled, so it knows exactly the lessons of the
//! Loop Lab it was built with.

use serde_json::Value;

/// The list as compiled in.
const LIST: &str = include_str!("../../src/lessons/lessons.json");

/// The lesson ids, in the list's order (the playground included).
#[derive(Debug)]
pub struct Lessons(Vec<String>);

impl Lessons {
    /// The list this program was built with.
    pub fn built_in() -> Result<Self, String> {
        Self::from_json(LIST).map_err(|e| format!("src/lessons/lessons.json, as compiled in: {e}"))
    }

    /// Reads a list: a JSON array of objects, each with a string `id`.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let list: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let entries = list.as_array().ok_or("not a JSON array")?;
        let ids = entries.iter().map(|entry| entry.get("id").and_then(Value::as_str).map(String::from));
        let ids: Option<Vec<String>> = ids.collect();
        ids.map(Self).ok_or_else(|| "an entry has no string `id`".into())
    }

    /// Whether `id` is a lesson.
    pub fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|known| known == id)
    }

    /// Every id, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_list_has_the_lessons_and_the_playground() {
        let lessons = Lessons::built_in().unwrap();
        for id in ["mental-model", "errors", "gather-fetch", "as-completed", "playground"] {
            assert!(lessons.contains(id), "{id}");
        }
        assert!(!lessons.contains("eror"));
        assert_eq!(lessons.ids().first(), Some(&"mental-model"));
    }

    #[test]
    fn a_malformed_list_is_an_error() {
        assert!(Lessons::from_json("{}").is_err());
        assert!(Lessons::from_json(r#"[{"title": "x"}]"#).is_err());
        assert!(Lessons::from_json("[").is_err());
    }
}
