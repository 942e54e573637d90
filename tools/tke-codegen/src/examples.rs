//! The example fixtures: `crates/tke-models/fixtures/<product>-<version>-examples.json`.
//!
//! Shape: `[{"action": "...", "input": {...} | null, "output": {"Response": ...}}]`, in action
//! name order and, per action, in the model's order; titles and prose are dropped.
//!
//! An example's input is either an HTTP POST whose body is JSON (kept as is) or a GET URL
//! with the parameters in the query string (`Filters.0.Values.1=x`). The latter is turned
//! into the equivalent JSON body, typed by the model (numbers, bools, lists, objects);
//! parameters the model does not know, such as the common `Region`, are left out. An input
//! that is neither becomes `null`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::model::{Api, Elem, Scalar, Shape};

#[derive(Deserialize)]
struct Examples {
    actions: BTreeMap<String, Vec<Example>>,
}

#[derive(Deserialize)]
struct Example {
    input: String,
    output: String,
}

/// Counts of what the fixtures hold.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    pub(crate) examples: usize,
    pub(crate) json_inputs: usize,
    pub(crate) query_inputs: usize,
    pub(crate) null_inputs: usize,
}

/// Builds the fixture file's text (pretty JSON, sorted keys, trailing newline).
pub(crate) fn fixtures(text: &str, api: &Api) -> Result<(String, Counts), String> {
    let examples: Examples =
        serde_json::from_str(text).map_err(|e| format!("examples.json: {e}"))?;
    let mut counts = Counts::default();
    let mut out = Vec::new();
    for (action, list) in &examples.actions {
        let def = api
            .actions
            .get(action)
            .ok_or_else(|| format!("examples.json: unknown action {action}"))?;
        for ex in list {
            let output: Value = serde_json::from_str(&ex.output)
                .map_err(|e| format!("examples.json: {action}: output is not JSON: {e}"))?;
            let input = if let Some(body) = post_body(&ex.input) {
                counts.json_inputs += 1;
                body
            } else if let Some(query) = ex.input.trim_start().strip_prefix("https://") {
                counts.query_inputs += 1;
                query_body(query, api, &def.input)?
            } else {
                counts.null_inputs += 1;
                Value::Null
            };
            counts.examples += 1;
            let mut entry = Map::new();
            entry.insert("action".to_owned(), Value::String(action.clone()));
            entry.insert("input".to_owned(), input);
            entry.insert("output".to_owned(), output);
            out.push(Value::Object(entry));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Array(out)).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok((text, counts))
}

/// The JSON object body of a POST example, if it has one.
fn post_body(input: &str) -> Option<Value> {
    let input = input.replace("\r\n", "\n");
    if !input.starts_with("POST") {
        return None;
    }
    let (_, body) = input.split_once("\n\n")?;
    serde_json::from_str::<Value>(body.trim())
        .ok()
        .filter(Value::is_object)
}

/// Turns `host/?Action=X&A.0.B=v&...` into the JSON body `{"A": [{"B": v}]}`.
fn query_body(url: &str, api: &Api, request: &str) -> Result<Value, String> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let mut root = Value::Object(Map::new());
    for pair in query.split(['&', '\r', '\n']) {
        let Some((key, raw)) = pair.split_once('=') else {
            continue;
        };
        let value = percent_decode(raw.trim());
        let path: Vec<&str> = key.trim().split('.').collect();
        insert(&mut root, &path, &value, api, request)
            .map_err(|e| format!("{request}: query parameter {key}: {e}"))?;
    }
    Ok(root)
}

/// Inserts one query parameter under the object `node` of model type `object`.
fn insert(
    node: &mut Value,
    path: &[&str],
    value: &str,
    api: &Api,
    object: &str,
) -> Result<(), String> {
    let Some((name, rest)) = path.split_first() else {
        return Err("empty name".to_owned());
    };
    let Some(member) = api.objects[object].members.iter().find(|m| m.name == *name) else {
        return Ok(()); // A common parameter (Action, Region, ...): not part of the body.
    };
    let shape = Shape::of(member, api)?;
    let Value::Object(map) = node else {
        return Err(format!("{name}: parent is not an object"));
    };
    let slot = map.entry(member.name.clone()).or_insert(Value::Null);
    let (slot, rest) = if shape.list {
        let (index, rest) = rest
            .split_first()
            .ok_or_else(|| format!("{name}: list without index"))?;
        let index: usize = index
            .parse()
            .map_err(|_| format!("{name}: bad index {index}"))?;
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        let Value::Array(items) = slot else {
            unreachable!("just made an array")
        };
        if items.len() <= index {
            items.resize(index + 1, Value::Null);
        }
        (&mut items[index], rest)
    } else {
        (slot, rest)
    };
    match &shape.elem {
        Elem::Object(inner) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            insert(slot, rest, value, api, inner)
        }
        Elem::Scalar(s) if rest.is_empty() => {
            *slot = scalar(*s, value);
            Ok(())
        }
        Elem::Scalar(_) => Err(format!("{name}: scalar with a sub-path")),
    }
}

/// A query value as the JSON value of the model's type (text when it does not parse).
fn scalar(s: Scalar, v: &str) -> Value {
    let parsed = match s {
        Scalar::I64 => v.parse::<i64>().ok().map(Value::from),
        Scalar::U64 => v.parse::<u64>().ok().map(Value::from),
        Scalar::F64 => v
            .parse::<f64>()
            .ok()
            .and_then(|f| serde_json::Number::from_f64(f).map(Value::Number)),
        Scalar::Bool => v.parse::<bool>().ok().map(Value::Bool),
        Scalar::Str => None,
    };
    parsed.unwrap_or_else(|| Value::String(v.to_owned()))
}

/// Decodes `%XX` escapes (invalid escapes are kept as written).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api() -> Api {
        serde_json::from_value(serde_json::json!({
            "actions": {"A": {"input": "ARequest", "output": "AResponse"}},
            "objects": {
                "ARequest": {"members": [
                    {"name": "Ids", "type": "list", "member": "string"},
                    {"name": "Limit", "type": "int", "member": "uint64"},
                    {"name": "On", "type": "bool", "member": "bool"},
                    {"name": "Filters", "type": "list", "member": "Filter"},
                    {"name": "Name", "type": "string", "member": "string"},
                ]},
                "AResponse": {"members": []},
                "Filter": {"members": [
                    {"name": "Name", "type": "string", "member": "string"},
                    {"name": "Values", "type": "list", "member": "string"},
                ]},
            },
            "metadata": {"apiVersion": "2000-01-01", "serviceShortName": "x"},
        }))
        .unwrap()
    }

    #[test]
    fn query_strings_become_typed_bodies() {
        let url = "x.tencentcloudapi.com/?Action=A\r\n&Region=ap-guangzhou\n&Ids.0=a&Ids.1=b\
                   &Limit=20&On=true&Filters.0.Name=tag%3Ak&Filters.0.Values.0=v\
                   &Name=12&<common parameters>";
        let body = query_body(url, &api(), "ARequest").unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "Ids": ["a", "b"],
                "Limit": 20,
                "On": true,
                "Filters": [{"Name": "tag:k", "Values": ["v"]}],
                "Name": "12",
            })
        );
    }

    #[test]
    fn post_bodies() {
        let input = "POST / HTTP/1.1\r\nHost: x\r\n<common>\r\n\r\n{\"Limit\": 1}";
        assert_eq!(post_body(input), Some(serde_json::json!({"Limit": 1})));
        assert_eq!(post_body("POST / HTTP/1.1\n\nnot json"), None);
        assert_eq!(post_body("GET /"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc"), "a b/c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn fixtures_shape() {
        let examples = r#"{"actions": {"A": [{"title": "t", "input": "POST /\n\n{}",
            "output": "{\"Response\": {\"RequestId\": \"r\"}}"}]}, "version": "1.0"}"#;
        let (text, counts) = fixtures(examples, &api()).unwrap();
        assert_eq!(counts.examples, 1);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"action": "A", "input": {}, "output": {"Response": {"RequestId": "r"}}}])
        );
        assert!(!text.contains("title"));
    }
}
